import { loadFixture } from '../__fixtures__/load-fixture';
import { HaproxyParseError } from '../errors/haproxy-errors';
import { decodeAdminFlags, effectiveAdminState, parseServersState } from './servers-state-parser';

describe('parseServersState on real HAProxy 2.6 output', () => {
  const rows = parseServersState(loadFixture('show-servers-state.txt'));
  const online = rows.filter((row) => row.backend === 'be_online');

  it('returns every server of every backend', () => {
    expect(rows).toHaveLength(12);
    expect(online.map((row) => row.server)).toEqual(['s1', 's2', 's3', 's4', 's5', 's6']);
    expect(rows.filter((row) => row.backend === 'be_maintenance')).toHaveLength(6);
  });

  it('decodes the admin state set over the socket', () => {
    expect(online.map((row) => [row.server, row.adminState, row.adminStateBits])).toEqual([
      ['s1', 'ready', 0],
      ['s2', 'drain', 8],
      ['s3', 'maint', 1],
      ['s4', 'ready', 0],
      ['s5', 'ready', 0],
      ['s6', 'ready', 0],
    ]);
    expect(online[1].adminFlags.forcedDrain).toBe(true);
    expect(online[2].adminFlags.forcedMaint).toBe(true);
  });

  it('reads the operational state from health checks', () => {
    expect(online.map((row) => row.operationalState)).toEqual([
      'RUNNING',
      'RUNNING',
      'STOPPED',
      'RUNNING',
      'STOPPED',
      'RUNNING',
    ]);
  });

  it('reads user and initial weights, address and port', () => {
    expect(online[0]).toMatchObject({ userWeight: 100, initialWeight: 200, address: '127.0.0.1' });
    expect(online[0].port).toBe(Number(online[0].fields['srv_port']));
    expect(online[0].port).toBeGreaterThan(0);
  });

  it('parses the answer filtered to one backend', () => {
    const filtered = parseServersState(loadFixture('show-servers-state-online.txt'));
    expect(filtered.map((row) => `${row.backend}/${row.server}`)).toEqual(
      online.map((r) => `be_online/${r.server}`),
    );
  });

  it('names the problem when the answer is not a servers state dump', () => {
    expect(() => parseServersState("Can't find backend.\n\n")).toThrow(HaproxyParseError);
    expect(() => parseServersState("Can't find backend.\n\n")).toThrow(
      /format version "1".*Can't find backend/,
    );
    expect(() => parseServersState('1\n# be_id be_name\n3\n')).toThrow(
      /line 3 has 1 fields, the header names 2/,
    );
  });
});

describe('admin state flags', () => {
  it('lets maintenance win over drain', () => {
    expect(effectiveAdminState(decodeAdminFlags(0x01 | 0x08))).toBe('maint');
    expect(effectiveAdminState(decodeAdminFlags(0x04))).toBe('maint');
    expect(effectiveAdminState(decodeAdminFlags(0x20))).toBe('maint');
    expect(effectiveAdminState(decodeAdminFlags(0x10))).toBe('drain');
    expect(effectiveAdminState(decodeAdminFlags(0x40))).toBe('ready');
  });
});
