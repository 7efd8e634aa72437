import { startBackendServers, type BackendFleet } from './backend-servers';
import { httpGet } from './http-get';

describe('startBackendServers', () => {
  let fleet: BackendFleet;

  beforeAll(async () => {
    fleet = await startBackendServers(2);
  });

  afterAll(async () => {
    await fleet.close();
  });

  it('starts each server on its own port, answering with its id', async () => {
    const [s1, s2] = fleet.servers;
    expect(s1.port).not.toBe(s2.port);
    await expect(httpGet(`${s1.url}/`)).resolves.toEqual({ status: 200, body: 's1', backendId: 's1' });
    await expect(httpGet(`${s2.url}/`)).resolves.toMatchObject({ body: 's2', backendId: 's2' });
  });

  it('answers /health, 503 when made unhealthy, and counts checks apart from traffic', async () => {
    const s2 = fleet.byId('s2');
    const before = { ...s2.counters };
    await expect(httpGet(`${s2.url}/health`)).resolves.toMatchObject({ status: 200 });
    s2.setHealthy(false);
    await expect(httpGet(`${s2.url}/health`)).resolves.toMatchObject({ status: 503 });
    s2.setHealthy(true);
    expect(s2.counters.health - before.health).toBe(2);
    expect(s2.counters.traffic - before.traffic).toBe(0);
  });

  it('holds /slow?ms=N for about N ms', async () => {
    const s1 = fleet.byId('s1');
    const started = Date.now();
    await expect(httpGet(`${s1.url}/slow?ms=120`)).resolves.toMatchObject({ status: 200, body: 's1' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    await expect(httpGet(`${s1.url}/slow?ms=abc`)).resolves.toMatchObject({ status: 400 });
  });

  it('holds /hold until released', async () => {
    const s1 = fleet.byId('s1');
    let answered = false;
    const held = httpGet(`${s1.url}/hold`).then((result) => {
      answered = true;
      return result;
    });
    await s1.waitForHeld(1);
    expect(s1.counters.held).toBe(1);
    expect(answered).toBe(false);
    expect(s1.releaseHeld()).toBe(1);
    await expect(held).resolves.toMatchObject({ status: 200, body: 's1 released' });
    expect(s1.counters.held).toBe(0);
  });

  it('names an unknown id', () => {
    expect(() => fleet.byId('s9')).toThrow('No backend server "s9" (have s1, s2)');
  });

  it('stops listening on close, answering held requests first', async () => {
    const extra = await startBackendServers(1, { idPrefix: 'x' });
    const server = extra.servers[0];
    const held = httpGet(`${server.url}/hold`);
    await server.waitForHeld(1);
    await extra.close();
    await expect(held).resolves.toMatchObject({ body: 'x1 released' });
    await expect(httpGet(`${server.url}/`)).rejects.toThrow(/ECONNREFUSED/);
  });
});
