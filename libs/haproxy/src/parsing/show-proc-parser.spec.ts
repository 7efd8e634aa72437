import { loadFixture } from '../__fixtures__/load-fixture';
import { HaproxyParseError } from '../errors/haproxy-errors';
import { liveWorkers, parseShowProc } from './show-proc-parser';

describe('parseShowProc on real HAProxy 2.6 master CLI output', () => {
  it('reads the master and its one worker', () => {
    const list = parseShowProc(loadFixture('show-proc.txt'));
    expect(list.master).toMatchObject({ pid: 18055, type: 'master', reloads: 0 });
    expect(list.failedReloads).toBe(0);
    expect(list.workers.map((row) => row.pid)).toEqual([18058]);
    expect(list.oldWorkers).toEqual([]);
    expect(list.workers[0].version).toBe('2.6.12-1+deb12u4');
  });

  it('lists old workers still finishing their sessions after a reload', () => {
    const list = parseShowProc(loadFixture('show-proc-old-workers.txt'));
    expect(list.master.reloads).toBe(5);
    expect(list.workers.map((row) => row.pid)).toEqual([19187]);
    expect(list.oldWorkers.map((row) => [row.pid, row.reloads])).toEqual([[19162, 1]]);
    expect(liveWorkers(list).map((row) => row.pid)).toEqual([19187, 19162]);
  });

  it('counts failed reloads', () => {
    const text = loadFixture('show-proc.txt').replace('[failed: 0]', '[failed: 2]');
    expect(parseShowProc(text).failedReloads).toBe(2);
  });

  it('refuses an answer from a stats socket instead of the master CLI', () => {
    expect(() => parseShowProc("Unknown command: 'show proc'\n")).toThrow(HaproxyParseError);
    expect(() => parseShowProc('')).toThrow(/no master line/);
  });
});
