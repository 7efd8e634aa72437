import { readFile } from 'node:fs/promises';
import { findServerRow, sessionsAcrossWorkers } from '@conveyor/haproxy';
import { startBackendServers, type BackendFleet } from '../http/backend-servers';
import { httpGet } from '../http/http-get';
import { waitFor } from '../wait-for';
import { startHaproxy, stopAllHaproxy, type HaproxyHandle } from './start-haproxy';
import { waitForServersUp } from './wait-for-status';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startHaproxy in master-worker mode: graceful reloads', () => {
  let fleet: BackendFleet;

  beforeAll(async () => {
    fleet = await startBackendServers(2);
  });

  afterAll(async () => {
    await stopAllHaproxy();
    await fleet?.close();
  });

  const servers = (): { name: string; port: number }[] =>
    fleet.servers.map((server) => ({ name: server.id, port: server.port }));

  async function started(serverStateFile: boolean): Promise<HaproxyHandle> {
    const haproxy = await startHaproxy({ servers: servers(), masterWorker: true, serverStateFile });
    await waitForServersUp(haproxy.client, 'be_online', ['s1', 's2']);
    return haproxy;
  }

  async function statusOf(haproxy: HaproxyHandle, server: string): Promise<string | undefined> {
    return findServerRow(await haproxy.client.showStat(), 'be_online', server)?.status.status;
  }

  it('keeps a server in maintenance across a reload through the server-state-file', async () => {
    const haproxy = await started(true);
    const before = await haproxy.master?.showProc();
    await haproxy.client.setServerState('be_online', 's1', 'maint');

    const after = await haproxy.reload();

    expect(after.master.pid).toBe(before?.master.pid);
    expect(after.workers[0].pid).not.toBe(before?.workers[0].pid);
    expect(await statusOf(haproxy, 's1')).toBe('MAINT');
    expect(await readFile(haproxy.serverStateFile ?? '', 'utf8')).toMatch(/^1\n# be_id/);
    for (let i = 0; i < 6; i += 1) {
      expect((await httpGet(`${haproxy.onlineUrl}/`)).backendId).toBe('s2');
    }
    await haproxy.stop();
  });

  it('without the state file a reload puts the server back to ready (what the hook prevents)', async () => {
    const haproxy = await started(false);
    await haproxy.client.setServerState('be_online', 's1', 'maint');
    await haproxy.reload();
    expect(await statusOf(haproxy, 's1')).not.toBe('MAINT');
    await haproxy.stop();
  });

  it('the master reaches the old worker that still holds a request, until it ends', async () => {
    const haproxy = await started(true);
    const master = haproxy.master;
    if (!master) throw new Error('no master client');
    fleet.byId('s1').releaseHeld();
    fleet.byId('s2').releaseHeld();
    const held = Promise.all([httpGet(`${haproxy.onlineUrl}/hold`), httpGet(`${haproxy.onlineUrl}/hold`)]);
    await waitFor('two held requests', () =>
      fleet.servers.reduce((sum, server) => sum + server.counters.held, 0) === 2 ? true : undefined,
    );
    const oldPid = (await master.showProc()).workers[0].pid;

    const after = await haproxy.reload();

    expect(after.oldWorkers.map((row) => row.pid)).toEqual([oldPid]);
    // The stats socket now answers for the new worker alone: it sees no session.
    const currentOnly = await haproxy.client.showStat();
    expect(findServerRow(currentOnly, 'be_online', 's1')?.currentSessions).toBe(0);
    const every = await master.statOfEveryWorker();
    expect(every.map((stat) => [stat.pid, stat.old])).toEqual([
      [after.workers[0].pid, false],
      [oldPid, true],
    ]);
    const total =
      sessionsAcrossWorkers(every, 'be_online', 's1') + sessionsAcrossWorkers(every, 'be_online', 's2');
    expect(total).toBe(2);
    expect(await master.onWorker(oldPid, 'show info')).toContain(`Pid: ${oldPid}`);

    fleet.byId('s1').releaseHeld();
    fleet.byId('s2').releaseHeld();
    const answers = await held;
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    await waitFor('the old worker to exit', async () =>
      (await master.showProc()).oldWorkers.length === 0 && !isAlive(oldPid) ? true : undefined,
    );
    expect(await master.onWorker(oldPid, 'show stat')).toBeNull();
    await haproxy.stop();
  });
});
