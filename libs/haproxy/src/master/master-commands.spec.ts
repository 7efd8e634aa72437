import { InvalidHaproxyArgumentError } from '../errors/haproxy-errors';
import { isWorkerGone, workerCommand } from './master-commands';
import { sessionsAcrossWorkers, type WorkerStat } from './haproxy-master-client';
import { parseShowStat } from '../parsing/show-stat-parser';
import { loadFixture } from '../__fixtures__/load-fixture';

describe('master CLI commands', () => {
  it('prefixes a command with the worker pid', () => {
    expect(workerCommand(19162, 'show stat')).toBe('@!19162 show stat');
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses pid %p', (pid) => {
    expect(() => workerCommand(pid, 'show stat')).toThrow(InvalidHaproxyArgumentError);
  });

  it.each(['show stat; reload', '@1 show stat', 'show stat\nreload', ''])(
    'refuses %p (it would reach another process or run two commands)',
    (command) => {
      expect(() => workerCommand(1, command)).toThrow(InvalidHaproxyArgumentError);
    },
  );

  it('recognises the answer for a worker that has exited (real 2.6 text)', () => {
    expect(isWorkerGone("Can't find the target PID matching the prefix '@!99999'\n")).toBe(true);
    expect(isWorkerGone('# pxname,svname\n')).toBe(false);
  });
});

describe('sessionsAcrossWorkers', () => {
  const rows = parseShowStat(loadFixture('show-stat-mixed.csv'));
  const server = rows.find((row) => row.type === 'server');

  it('adds up the server scur of every worker', () => {
    if (!server) throw new Error('fixture has no server row');
    const bump = (by: number): WorkerStat['rows'] =>
      rows.map((row) => (row === server ? { ...row, currentSessions: by } : row));
    const stats: WorkerStat[] = [
      { pid: 1, old: false, rows: bump(0) },
      { pid: 2, old: true, rows: bump(3) },
      { pid: 3, old: true, rows: bump(2) },
    ];
    expect(sessionsAcrossWorkers(stats, server.proxy, server.name)).toBe(5);
    expect(sessionsAcrossWorkers(stats, server.proxy, 'no-such-server')).toBe(0);
    expect(sessionsAcrossWorkers([], server.proxy, server.name)).toBe(0);
  });
});
