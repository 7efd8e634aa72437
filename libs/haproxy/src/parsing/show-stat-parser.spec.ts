import { loadFixture } from '../__fixtures__/load-fixture';
import { HaproxyParseError } from '../errors/haproxy-errors';
import { parseShowStat, type StatRow } from './show-stat-parser';

describe('parseShowStat on real HAProxy 2.6 output', () => {
  const rows = parseShowStat(loadFixture('show-stat-mixed.csv'));
  const row = (proxy: string, name: string): StatRow => {
    const found = rows.find((candidate) => candidate.proxy === proxy && candidate.name === name);
    if (!found) throw new Error(`fixture lacks ${proxy}/${name}`);
    return found;
  };

  it('returns one row per frontend, server and backend', () => {
    expect(rows).toHaveLength(16);
    expect(rows.filter((r) => r.type === 'frontend').map((r) => r.proxy)).toEqual([
      'fe_online',
      'fe_maintenance',
    ]);
    expect(rows.filter((r) => r.type === 'backend').map((r) => r.proxy)).toEqual([
      'be_online',
      'be_maintenance',
    ]);
    expect(rows.filter((r) => r.type === 'server' && r.proxy === 'be_online').map((r) => r.name)).toEqual([
      's1',
      's2',
      's3',
      's4',
      's5',
      's6',
    ]);
  });

  it('normalises every server status and keeps the raw text', () => {
    const statuses = ['s1', 's2', 's3', 's4', 's5', 's6'].map((name) => {
      const { status, raw } = row('be_online', name).status;
      return [name, status, raw];
    });
    expect(statuses).toEqual([
      ['s1', 'UP', 'UP'],
      ['s2', 'DRAIN', 'DRAIN'],
      ['s3', 'MAINT', 'MAINT'],
      ['s4', 'UP', 'UP 2/3'],
      ['s5', 'DOWN', 'DOWN 1/3'],
      ['s6', 'NO_CHECK', 'no check'],
    ]);
  });

  it('describes health transitions in progress', () => {
    expect(row('be_online', 's4').status.transition).toEqual({ towards: 'DOWN', checks: 2, needed: 3 });
    expect(row('be_online', 's5').status.transition).toEqual({ towards: 'UP', checks: 1, needed: 3 });
    expect(row('be_online', 's1').status.transition).toBeUndefined();
  });

  it('reads current sessions, weights and check status', () => {
    expect(row('be_online', 's1').currentSessions).toBe(1);
    expect(row('be_online', 's2').currentSessions).toBe(0);
    expect(row('be_online', 'BACKEND').currentSessions).toBe(3);
    expect(row('be_online', 's1').weight).toBe(100); // 50% of 200
    expect(row('be_maintenance', 's1').weight).toBe(200);
    expect(row('be_online', 's1').checkStatus).toBe('L7OK');
    expect(row('be_online', 's4').checkStatus).toBe('L7STS');
    expect(row('be_online', 's3').checkStatus).toBeUndefined();
    expect(row('fe_online', 'FRONTEND').weight).toBeUndefined();
    expect(row('fe_online', 'FRONTEND').status.status).toBe('OPEN');
  });

  it('keeps every column by name', () => {
    expect(row('be_online', 's1').fields['addr']).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(row('be_online', 's1').fields['check_rise']).toBe('3');
  });

  it('names the problem when the answer is not a stat CSV', () => {
    expect(() => parseShowStat('Permission denied\n\n')).toThrow(HaproxyParseError);
    expect(() => parseShowStat('Permission denied\n\n')).toThrow(/Permission denied/);
    expect(() => parseShowStat('# pxname,svname,status\n')).toThrow(/lacks column "scur"/);
  });

  it('rejects a row whose type is not known', () => {
    const csv = '# pxname,svname,scur,status,type\nbe,s1,0,UP,7\n';
    expect(() => parseShowStat(csv)).toThrow(/line 2: unknown row type "7"/);
  });

  it('rejects a non-numeric session count', () => {
    const csv = '# pxname,svname,scur,status,type\nbe,s1,x,UP,2\n';
    expect(() => parseShowStat(csv)).toThrow(/column scur is "x"/);
  });
});
