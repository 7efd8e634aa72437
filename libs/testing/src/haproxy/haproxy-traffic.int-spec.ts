import { findServerRow } from '@conveyor/haproxy';
import { startBackendServers, type BackendFleet } from '../http/backend-servers';
import { httpGet } from '../http/http-get';
import { startHaproxy, type HaproxyHandle } from './start-haproxy';
import { waitForServersUp } from './wait-for-status';

/** Customer traffic through a real HAProxy while servers change state. */
describe('traffic through the harness HAProxy', () => {
  let fleet: BackendFleet;
  let haproxy: HaproxyHandle;
  const online = 'be_online';
  const names = ['s1', 's2', 's3'];

  beforeAll(async () => {
    fleet = await startBackendServers(3);
    haproxy = await startHaproxy({
      servers: fleet.servers.map((server) => ({ name: server.id, port: server.port })),
    });
  });

  afterAll(async () => {
    await haproxy?.stop();
    await fleet?.close();
  });

  beforeEach(async () => {
    for (const name of names) await haproxy.client.setServerState(online, name, 'ready');
    await waitForServersUp(haproxy.client, online, names);
  });

  async function send(count: number, url = haproxy.onlineUrl): Promise<string[]> {
    const answeredBy: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const response = await httpGet(`${url}/`);
      expect(response.status).toBe(200);
      answeredBy.push(response.backendId ?? '(none)');
    }
    return answeredBy;
  }

  it('delivers requests on both frontends to the backend servers', async () => {
    expect(new Set(await send(6))).toEqual(new Set(names));
    expect(new Set(await send(3, haproxy.maintenanceUrl))).toEqual(new Set(names));
  });

  it('sends nothing more to a server once it is in maint', async () => {
    expect(await send(6)).toContain('s1');
    await haproxy.client.setServerState(online, 's1', 'maint');
    const before = fleet.byId('s1').counters.traffic;

    const answeredBy = await send(12);

    expect(answeredBy).not.toContain('s1');
    expect(new Set(answeredBy)).toEqual(new Set(['s2', 's3']));
    expect(fleet.byId('s1').counters.traffic).toBe(before);
    // The maintenance backend is untouched: testers still reach s1 there.
    expect(await send(3, haproxy.maintenanceUrl)).toContain('s1');
  });

  it('keeps scur at 1 on a draining server until its held connection is released', async () => {
    const s1 = fleet.byId('s1');
    await haproxy.client.setServerState(online, 's2', 'maint');
    await haproxy.client.setServerState(online, 's3', 'maint');
    const held = httpGet(`${haproxy.onlineUrl}/hold`, 20_000);
    await s1.waitForHeld(1);
    await haproxy.client.setServerState(online, 's2', 'ready');
    await haproxy.client.setServerState(online, 's3', 'ready');
    await haproxy.client.setServerState(online, 's1', 'drain');

    const draining = findServerRow(await haproxy.client.showStat(), online, 's1');
    expect(draining?.status.status).toBe('DRAIN');
    expect(draining?.currentSessions).toBe(1);
    // New requests avoid the draining server; the held one is still there.
    expect(await send(6)).not.toContain('s1');
    expect(await haproxy.client.currentSessions(online, 's1')).toBe(1);

    expect(s1.releaseHeld()).toBe(1);
    await expect(held).resolves.toMatchObject({ status: 200, backendId: 's1' });
    await expect(haproxy.client.waitForSessions(online, 's1', { timeoutMs: 5000, pollMs: 20 })).resolves.toBe(
      0,
    );
  });
});
