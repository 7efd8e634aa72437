import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { RunningService } from '@conveyor/service-kit';
import { waitFor, type BackendFleet, type HaproxyHandle, type TestDatabase } from '@conveyor/testing';
import { OperationWorker } from './operations/operation-worker.service';
import type { EventRecorder } from './testing/event-recorder';
import { adminStates, statuses } from './testing/haproxy-states';
import { PoolTestBed } from './testing/pool-manager-harness';

/**
 * Two live copies of the pool manager on one database, one vhost and one HAProxy: they start
 * together on a fresh database (migrate once), then drain servers of one pool concurrently.
 */
describe('pool manager: two replicas', () => {
  let database: TestDatabase;
  let fleet: BackendFleet;
  let haproxy: HaproxyHandle;
  let replicas: RunningService[] = [];
  let orchestrator: EventRecorder;
  const servers = ['s1', 's2', 's3', 's4', 's5', 's6'];
  const minHealthy = 3;
  const bed = new PoolTestBed({ servers: servers.length, healthCheck: { interMs: 300 }, poolManager: false });

  beforeAll(async () => {
    ({ database, fleet, orchestrator } = await bed.start());
    [haproxy] = bed.haproxy;
  }, 120_000);

  afterAll(() => bed.close());

  it('start together on a fresh database and migrate once, without error', async () => {
    replicas = await Promise.all([bed.startPoolManager(), bed.startPoolManager()]);
    const db = new Client({ connectionString: database.url });
    await db.connect();
    try {
      const { rows } = await db.query<{ name: string; runs: string }>(
        'SELECT name, count(*) AS runs FROM pool_manager.migrations GROUP BY name ORDER BY name',
      );
      expect(rows.length).toBeGreaterThanOrEqual(3);
      for (const row of rows) expect([row.name, Number(row.runs)]).toEqual([row.name, 1]);
    } finally {
      await db.end();
    }
  }, 60_000);

  it('drain one pool concurrently: each server drained once, the floor never broken, no operation run twice', async () => {
    // Samples HAProxy every 25 ms: servers UP and ready in the online backend.
    let lowest = Number.POSITIVE_INFINITY;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [admin, status] = await Promise.all([
          adminStates(haproxy.client, haproxy.onlineBackend),
          statuses(haproxy.client, haproxy.onlineBackend),
        ]);
        const online = servers.filter((s) => admin[s] === 'ready' && status[s]?.startsWith('UP')).length;
        lowest = Math.min(lowest, online);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();

    // Every server asked to drain at once, and each request published twice (the same operationId).
    const requests = servers.map((server) => ({
      operationId: randomUUID(),
      pool: 'web',
      servers: [server],
      drainTimeoutMs: 10_000,
      minHealthy,
      onTimeout: 'fail' as const,
    }));
    await Promise.all(
      requests.flatMap((request) => [
        orchestrator.publish('pool.drain.requested', request),
        orchestrator.publish('pool.drain.requested', request),
      ]),
    );
    const outcomes = await Promise.all(requests.map((request) => orchestrator.outcome(request.operationId)));
    // Give a wrongly repeated operation time to emit a second outcome.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    sampling = false;
    await sampler;

    const drained = outcomes.filter((outcome) => outcome.type === 'pool.server.drained');
    const refused = outcomes.filter((outcome) => outcome.type === 'pool.operation.failed');
    expect(drained).toHaveLength(servers.length - minHealthy);
    expect(refused.map((outcome) => (outcome.data as { reason: string }).reason)).toEqual(
      Array(minHealthy).fill('capacity_floor'),
    );
    expect(lowest).toBeGreaterThanOrEqual(minHealthy);

    // One outcome per operation, each drained server once.
    for (const request of requests) {
      const events = [
        ...orchestrator.events('pool.server.drained', (d) => d.operationId === request.operationId),
        ...orchestrator.events('pool.operation.failed', (d) => d.operationId === request.operationId),
      ];
      expect([request.servers[0], events.length]).toEqual([request.servers[0], 1]);
    }
    const drainedServers = orchestrator
      .events('pool.server.drained')
      .flatMap((event) => event.data.servers.map((entry) => entry.server));
    expect(new Set(drainedServers).size).toBe(drainedServers.length);
    const admin = await adminStates(haproxy.client, haproxy.onlineBackend);
    expect(servers.filter((s) => admin[s] === 'maint').sort()).toEqual([...drainedServers].sort());

    // Claimed once each, by one replica, and finished with the lease given back.
    const db = new Client({ connectionString: database.url });
    await db.connect();
    try {
      const { rows } = await db.query<{ status: string; attempts: number; lease_owner: string | null }>(
        'SELECT status, attempts, lease_owner FROM pool_manager.pool_operation',
      );
      expect(rows).toHaveLength(servers.length);
      for (const row of rows) expect(row).toMatchObject({ attempts: 1, lease_owner: null });
    } finally {
      await db.end();
    }
  }, 90_000);

  it('a replica stopping mid-drain hands the operation over: the other finishes it, once', async () => {
    // Everything back online first.
    const maint = await adminStates(haproxy.client, haproxy.onlineBackend);
    const enables = servers
      .filter((server) => maint[server] === 'maint')
      .map((server) => ({
        operationId: randomUUID(),
        pool: 'web',
        servers: [server],
        healthTimeoutMs: 15_000,
      }));
    for (const request of enables) await orchestrator.publish('pool.enable.requested', request);
    for (const request of enables)
      await orchestrator.expectOutcome(request.operationId, 'pool.server.enabled');

    // A long customer request keeps one server draining.
    const settled = fetch(`${haproxy.onlineUrl}/hold`).then((response) => response.text());
    const holderIndex = await waitFor('a held request', () => {
      const index = fleet.servers.findIndex((server) => server.counters.held > 0);
      return index >= 0 ? index : undefined;
    });
    const holder = servers[holderIndex];
    const request = {
      operationId: randomUUID(),
      pool: 'web',
      servers: [holder],
      drainTimeoutMs: 30_000,
      minHealthy: 1,
      onTimeout: 'fail' as const,
    };
    await orchestrator.publish('pool.drain.requested', request);
    await waitFor(
      'the server to drain',
      async () => (await adminStates(haproxy.client, haproxy.onlineBackend))[holder] === 'drain',
    );
    const owners = replicas.map((replica) => replica.app.get(OperationWorker).owner);
    const db = new Client({ connectionString: database.url });
    await db.connect();
    try {
      const leaseOwner = async () =>
        (
          await db.query<{ lease_owner: string | null; attempts: number }>(
            'SELECT lease_owner, attempts FROM pool_manager.pool_operation WHERE operation_id = $1',
            [request.operationId],
          )
        ).rows[0];
      const first = await leaseOwner();
      const stopping = owners.indexOf(first.lease_owner ?? '');
      expect(stopping).toBeGreaterThanOrEqual(0);
      const [stopped] = replicas.splice(stopping, 1);
      await stopped.close();
      // The other replica claims it (the stopped one gave the lease back) and keeps waiting.
      const survivor = owners[1 - stopping];
      await waitFor('the other replica to claim it', async () =>
        (await leaseOwner()).lease_owner === survivor ? true : undefined,
      );
      expect((await adminStates(haproxy.client, haproxy.onlineBackend))[holder]).toBe('drain');
      fleet.servers[holderIndex].releaseHeld();
      await settled;
      const outcome = await orchestrator.expectOutcome(request.operationId, 'pool.server.drained');
      expect(outcome.servers).toEqual([expect.objectContaining({ server: holder })]);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(
        orchestrator.events('pool.server.drained', (d) => d.operationId === request.operationId),
      ).toHaveLength(1);
      expect(
        orchestrator.events('pool.operation.failed', (d) => d.operationId === request.operationId),
      ).toEqual([]);
      expect(await leaseOwner()).toEqual({ lease_owner: null, attempts: 2 });
      expect((await adminStates(haproxy.client, haproxy.onlineBackend))[holder]).toBe('maint');
    } finally {
      await db.end();
    }
  }, 90_000);

  it('stay live while their database is away, and are not ready until it is back', async () => {
    const [replica] = replicas;
    const status = async (path: string) => (await fetch(`http://127.0.0.1:${replica.port}${path}`)).status;
    expect([await status('/health/live'), await status('/health/ready'), await status('/health')]).toEqual([
      200, 200, 200,
    ]);
    const name = new URL(database.url).pathname.slice(1);
    const admin = new Client({ connectionString: database.url.replace(/\/[^/]+$/, '/postgres') });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      expect(await status('/health/ready')).toBe(503);
      expect(await status('/health')).toBe(503);
      expect(await status('/health/live')).toBe(200);
    } finally {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    await waitFor('ready again', async () => ((await status('/health/ready')) === 200 ? true : undefined), {
      timeoutMs: 15_000,
    });
  }, 60_000);
});
