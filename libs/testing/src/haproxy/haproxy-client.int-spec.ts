import {
  HaproxyCommandError,
  HaproxyPermissionDeniedError,
  HaproxyRuntimeClient,
  HaproxyTimeoutError,
  HaproxyUnreachableError,
  UnknownBackendError,
  UnknownServerError,
  findServerRow,
} from '@conveyor/haproxy';
import { startBackendServers, type BackendFleet } from '../http/backend-servers';
import { startHaproxy, type HaproxyHandle } from './start-haproxy';
import { waitForServerRow, waitForServersUp } from './wait-for-status';

/** The libs/haproxy Runtime API client against a real HAProxy 2.6. */
describe('HaproxyRuntimeClient against a real HAProxy', () => {
  let fleet: BackendFleet;
  let haproxy: HaproxyHandle;
  let client: HaproxyRuntimeClient;
  const online = 'be_online';

  beforeAll(async () => {
    fleet = await startBackendServers(3);
    haproxy = await startHaproxy({
      servers: fleet.servers.map((server) => ({ name: server.id, port: server.port })),
      tcpAdminSocket: true,
      userSocket: true,
    });
    client = haproxy.client;
    await waitForServersUp(client, online, ['s1', 's2', 's3']);
  });

  afterAll(async () => {
    await haproxy?.stop();
    await fleet?.close();
  });

  afterEach(async () => {
    if (!haproxy) return;
    for (const backend of [online, 'be_maintenance']) {
      for (const server of ['s1', 's2', 's3']) {
        await client.setServerState(backend, server, 'ready');
        await client.setWeight(backend, server, 100);
        await client.enableHealth(backend, server);
      }
    }
  });

  it('lists both backends with the same servers', async () => {
    const rows = await client.showStat();
    const serversOf = (backend: string): string[] =>
      rows.filter((row) => row.type === 'server' && row.proxy === backend).map((row) => row.name);
    expect(serversOf(online)).toEqual(['s1', 's2', 's3']);
    expect(serversOf('be_maintenance')).toEqual(['s1', 's2', 's3']);
    expect(findServerRow(rows, online, 's1')).toMatchObject({
      weight: 100,
      checkStatus: 'L7OK',
      currentSessions: 0,
    });
  });

  it('shows drain and maint in show stat and show servers state, in one backend only', async () => {
    await client.setServerState(online, 's1', 'drain');
    await client.setServerState(online, 's2', 'maint');
    const rows = await client.showStat();
    expect(findServerRow(rows, online, 's1')?.status.status).toBe('DRAIN');
    expect(findServerRow(rows, online, 's2')?.status.status).toBe('MAINT');
    expect(findServerRow(rows, 'be_maintenance', 's1')?.status.status).toBe('UP');

    const states = await client.showServersState(online);
    expect(states.map((row) => [row.server, row.adminState])).toEqual([
      ['s1', 'drain'],
      ['s2', 'maint'],
      ['s3', 'ready'],
    ]);
    expect(states.every((row) => row.backend === online)).toBe(true);

    await client.setServerState(online, 's2', 'ready');
    const back = await waitForServerRow(client, online, 's2', (row) => row.status.status !== 'MAINT');
    expect(back.status.status).not.toBe('MAINT');
  });

  it('sets weights, absolute and relative', async () => {
    await client.setWeight(online, 's3', 150);
    expect(findServerRow(await client.showStat(), online, 's3')?.weight).toBe(150);
    await client.setWeight(online, 's3', '50%');
    expect(findServerRow(await client.showStat(), online, 's3')?.weight).toBe(50);
  });

  it('disables and enables health checks', async () => {
    await client.disableHealth(online, 's3');
    expect(findServerRow(await client.showStat(), online, 's3')?.status).toEqual({
      status: 'NO_CHECK',
      raw: 'no check',
    });
    await client.enableHealth(online, 's3');
    const checked = await waitForServerRow(client, online, 's3', (row) => row.checkStatus === 'L7OK');
    expect(checked.status.status).toBe('UP');
  });

  it("reports HAProxy's text when an agent is not configured", async () => {
    await expect(client.enableAgent(online, 's1')).rejects.toThrow(HaproxyCommandError);
    await expect(client.enableAgent(online, 's1')).rejects.toThrow(/Agent was not configured on this server/);
  });

  it('shuts down sessions of a server', async () => {
    await expect(client.shutdownSessions(online, 's1')).resolves.toBeUndefined();
  });

  it('raises UnknownBackendError and UnknownServerError naming them', async () => {
    await expect(client.setServerState('be_nope', 's1', 'maint')).rejects.toThrow(
      new UnknownBackendError('be_nope', 'set server be_nope/s1 state maint'),
    );
    await expect(client.setWeight(online, 's9', 100)).rejects.toThrow(UnknownServerError);
    await expect(client.setWeight(online, 's9', 100)).rejects.toThrow(/"be_online" has no server "s9"/);
    await expect(client.showServersState('be_nope')).rejects.toThrow(/no backend "be_nope"/);
    await expect(client.currentSessions(online, 's9')).rejects.toThrow(UnknownServerError);
  });

  it('raises HaproxyPermissionDeniedError on a level user socket, which still reads', async () => {
    const user = new HaproxyRuntimeClient({ address: haproxy.userSocketPath ?? '' });
    await expect(user.setServerState(online, 's1', 'maint')).rejects.toThrow(HaproxyPermissionDeniedError);
    await expect(user.setServerState(online, 's1', 'maint')).rejects.toThrow(
      /unix:.*user\.sock: permission denied/,
    );
    expect((await user.showStat()).length).toBeGreaterThan(0);
    expect(findServerRow(await client.showStat(), online, 's1')?.status.status).toBe('UP');
  });

  it('works over the TCP admin socket too', async () => {
    const tcp = new HaproxyRuntimeClient({ address: haproxy.tcpSocketAddress ?? '' });
    await tcp.setServerState(online, 's3', 'drain');
    expect(findServerRow(await client.showStat(), online, 's3')?.status.status).toBe('DRAIN');
  });

  it('times out while HAProxy is frozen, and answers again once it resumes', async () => {
    const slow = new HaproxyRuntimeClient({ address: haproxy.socketPath, timeoutMs: 200 });
    process.kill(haproxy.pid(), 'SIGSTOP');
    try {
      await expect(slow.showStat()).rejects.toThrow(HaproxyTimeoutError);
      await expect(slow.showStat()).rejects.toThrow(/did not answer "show stat" within 200 ms/);
    } finally {
      process.kill(haproxy.pid(), 'SIGCONT');
    }
    expect((await slow.showStat()).length).toBeGreaterThan(0);
  });

  it('raises HaproxyUnreachableError naming a socket nobody listens on', async () => {
    const missing = `${haproxy.directory}/nobody.sock`;
    const nobody = new HaproxyRuntimeClient({ address: missing });
    await expect(nobody.showStat()).rejects.toThrow(HaproxyUnreachableError);
    await expect(nobody.showStat()).rejects.toThrow(`unix:${missing} is unreachable`);
  });
});
