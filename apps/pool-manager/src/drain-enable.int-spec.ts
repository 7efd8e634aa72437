import { errorMessage } from '@conveyor/errors';
import { randomUUID } from 'node:crypto';
import { deadLetterQueueName } from '@conveyor/messaging';
import type { RunningService } from '@conveyor/service-kit';
import {
  waitFor,
  waitForServersUp,
  type BackendFleet,
  type HaproxyHandle,
  type TestVhost,
} from '@conveyor/testing';
import type { EventRecorder } from './testing/event-recorder';
import { adminStates, statuses } from './testing/haproxy-states';
import { LoadLoop } from './testing/load-loop';
import { fetchPools, PoolTestBed, serverIn } from './testing/pool-manager-harness';

describe('pool manager: drain and enable against a real HAProxy', () => {
  let vhost: TestVhost;
  let fleet: BackendFleet;
  let haproxy: HaproxyHandle;
  let service: RunningService;
  let orchestrator: EventRecorder;

  const servers = ['s1', 's2', 's3'];
  const bed = new PoolTestBed({ servers: servers.length });
  const online = () => adminStates(haproxy.client, 'be_online');
  const maintenance = () => adminStates(haproxy.client, 'be_maintenance');

  function drain(
    server: string,
    extra: { minHealthy?: number; drainTimeoutMs?: number; onTimeout?: 'fail' | 'shutdown_sessions' } = {},
  ) {
    return orchestrator.publish('pool.drain.requested', {
      operationId: randomUUID(),
      pool: 'web',
      servers: [server],
      drainTimeoutMs: extra.drainTimeoutMs ?? 10_000,
      minHealthy: extra.minHealthy ?? 1,
      onTimeout: extra.onTimeout ?? 'fail',
    });
  }

  function enable(servers: string) {
    return orchestrator.publish('pool.enable.requested', {
      operationId: randomUUID(),
      pool: 'web',
      servers: servers.split(','),
      healthTimeoutMs: 10_000,
    });
  }

  /** Sends GET /hold through the online frontend until one is held; returns the server holding it. */
  async function holdOneRequest(): Promise<{ server: string; settled: Promise<string> }> {
    const settled = fetch(`${haproxy.onlineUrl}/hold`).then(
      async (response) => `HTTP ${response.status} ${await response.text()}`,
      (error: unknown) => `error ${errorMessage(error)}`,
    );
    const holder = await waitFor('a held request', () =>
      fleet.servers.find((server) => server.counters.held > 0),
    );
    return { server: holder.id, settled };
  }

  beforeAll(async () => {
    ({ vhost, fleet, orchestrator, poolManager: service } = await bed.start());
    [haproxy] = bed.haproxy;
  }, 120_000);

  afterAll(() => bed.close());

  afterEach(async () => {
    // Every test starts with all servers online: release what is held, enable what is out.
    for (const server of fleet?.servers ?? []) server.releaseHeld();
    if (!haproxy || !orchestrator) return;
    const out = Object.entries(await online())
      .filter(([, state]) => state !== 'ready')
      .map(([server]) => server);
    if (out.length > 0)
      await orchestrator.expectOutcome((await enable(out.join(','))).data.operationId, 'pool.server.enabled');
  });

  it('drains and re-enables every server in turn under load without failing one customer request', async () => {
    const load = new LoadLoop(haproxy.onlineUrl, 4);
    await waitFor('traffic to flow', () => load.total >= 20);
    for (const server of servers) {
      const drained = await orchestrator.expectOutcome(
        (await drain(server)).data.operationId,
        'pool.server.drained',
      );
      expect(drained.servers).toEqual([expect.objectContaining({ server, sessionsShutDown: 0 })]);
      expect(await online()).toMatchObject({ [server]: 'maint' });
      expect(await maintenance()).toMatchObject({ [server]: 'ready' });
      const before = load.total;
      await waitFor('traffic while the server is out', () => load.total >= before + 20);
      const enabled = await orchestrator.expectOutcome(
        (await enable(server)).data.operationId,
        'pool.server.enabled',
      );
      expect(enabled.servers).toEqual([server]);
      expect(await online()).toMatchObject({ [server]: 'ready' });
      expect(await maintenance()).toMatchObject({ [server]: 'maint' });
      // Re-enabled means intended online too: the reconciler must not take it out again.
      expect(serverIn(await fetchPools(service), 'lb-a', 'online', server)).toMatchObject({
        intended: 'ready',
        drift: false,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(Object.values(await online()).every((state) => state === 'ready')).toBe(true);
    const report = await load.stop();
    expect(report.failures).toEqual([]);
    expect(report.failed).toBe(0);
    expect(Object.keys(report.byBackend).sort()).toEqual(servers);
  });

  it('waits for a held-open connection before maintenance and reports the wait', async () => {
    const held = await holdOneRequest();
    const request = await drain(held.server);
    await waitFor('the server to drain', async () => (await online())[held.server] === 'drain');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(
      orchestrator.events('pool.server.drained', (d) => d.operationId === request.data.operationId),
    ).toEqual([]);
    expect((await online())[held.server]).toBe('drain');

    fleet.byId(held.server).releaseHeld();
    const outcome = await orchestrator.outcome(request.data.operationId);
    expect(await held.settled).toBe(`HTTP 200 ${held.server} released`);
    expect(outcome).toMatchObject({ type: 'pool.server.drained' });
    const [report] = (
      outcome.data as {
        servers: { server: string; sessionsAtStart: number; waitedMs: number; sessionsShutDown: number }[];
      }
    ).servers;
    expect(report).toMatchObject({ server: held.server, sessionsAtStart: 1, sessionsShutDown: 0 });
    expect(report.waitedMs).toBeGreaterThanOrEqual(500);
    expect(await online()).toMatchObject({ [held.server]: 'maint' });
  });

  it('on a drain timeout with policy "fail", puts the server back and reports the sessions left', async () => {
    const held = await holdOneRequest();
    const request = await drain(held.server, { drainTimeoutMs: 300 });
    const outcome = await orchestrator.outcome(request.data.operationId);
    expect(outcome.type).toBe('pool.operation.failed');
    expect(outcome.data).toMatchObject({ reason: 'timeout', operation: 'drain', pool: 'web' });
    expect((outcome.data as { detail: string }).detail).toContain(`${held.server} (1)`);
    expect(await online()).toMatchObject({ [held.server]: 'ready' });
    fleet.byId(held.server).releaseHeld();
    expect(await held.settled).toBe(`HTTP 200 ${held.server} released`);
  });

  it('on a drain timeout with policy "shutdown_sessions", cuts the remaining sessions and says how many', async () => {
    const held = await holdOneRequest();
    const request = await drain(held.server, { drainTimeoutMs: 300, onTimeout: 'shutdown_sessions' });
    const outcome = await orchestrator.outcome(request.data.operationId);
    expect(outcome).toMatchObject({ type: 'pool.server.drained' });
    expect((outcome.data as { servers: unknown[] }).servers).toEqual([
      { server: held.server, sessionsAtStart: 1, waitedMs: 300, sessionsShutDown: 1 },
    ]);
    // The cut request fails: HAProxy answers 502 (or the connection drops).
    expect(await held.settled).toMatch(/^(HTTP 502|error )/);
    expect(await online()).toMatchObject({ [held.server]: 'maint' });
  });

  it('refuses a drain that would break the floor, counted from live state, and changes nothing', async () => {
    // s3 fails its health check: three servers are configured, two are UP.
    fleet.byId('s3').setHealthy(false);
    await waitFor('s3 DOWN', async () => (await statuses(haproxy.client, 'be_online'))['s3'] === 'DOWN');
    try {
      const before = { online: await online(), maintenance: await maintenance() };
      const failed = await orchestrator.expectOutcome(
        (await drain('s1', { minHealthy: 2 })).data.operationId,
        'pool.operation.failed',
      );
      expect(failed).toMatchObject({
        reason: 'capacity_floor',
        operation: 'drain',
        detail:
          'taking out 1 online server would leave 1 of 2 online, below the floor of 2 (UP and ready now: s1, s2)',
      });
      expect({ online: await online(), maintenance: await maintenance() }).toEqual(before);
    } finally {
      fleet.byId('s3').setHealthy(true);
      await waitForServersUp(haproxy.client, 'be_online', ['s3']);
    }
  });

  it('refuses unknown pools, unknown servers and repeated servers with a clear reason, changing nothing', async () => {
    const before = { online: await online(), maintenance: await maintenance() };
    const unknownPool = await orchestrator.publish('pool.drain.requested', {
      operationId: randomUUID(),
      pool: 'nope',
      servers: ['s1'],
      drainTimeoutMs: 1000,
      minHealthy: 0,
      onTimeout: 'fail',
    });
    const unknownServer = await orchestrator.publish('pool.enable.requested', {
      operationId: randomUUID(),
      pool: 'web',
      servers: ['s1', 's9'],
      healthTimeoutMs: 1000,
    });
    const repeated = await orchestrator.publish('pool.drain.requested', {
      operationId: randomUUID(),
      pool: 'web',
      servers: ['s2', 's2'],
      drainTimeoutMs: 1000,
      minHealthy: 0,
      onTimeout: 'fail',
    });
    expect((await orchestrator.outcome(unknownPool.data.operationId)).data).toMatchObject({
      reason: 'unknown_pool',
      detail: 'pool "nope" is not configured (known: web)',
    });
    expect((await orchestrator.outcome(unknownServer.data.operationId)).data).toMatchObject({
      reason: 'unknown_server',
      instance: 'lb-a',
      detail: 'unknown server s9: not in backend "be_online" on instance lb-a',
    });
    expect((await orchestrator.outcome(repeated.data.operationId)).data).toMatchObject({
      reason: 'invalid_request',
      detail: 'servers listed more than once: s2',
    });
    expect({ online: await online(), maintenance: await maintenance() }).toEqual(before);
  });

  it('dead-letters a malformed request with the validation error and changes nothing', async () => {
    const before = await online();
    const valid = await drain('s1');
    const malformed = {
      ...valid,
      id: randomUUID(),
      data: { ...valid.data, operationId: randomUUID(), servers: [], minHealthy: -1 },
    };
    await orchestrator.publishRaw('pool.drain.requested', JSON.stringify(malformed));
    await orchestrator.outcome(valid.data.operationId);
    await orchestrator.outcome((await enable('s1')).data.operationId);
    const dlq = deadLetterQueueName('pool-manager');
    await waitFor(
      'the malformed request in the dead-letter queue',
      async () => (await vhost.queueDepth(dlq)) === 1,
    );
    const [letter] = await vhost.peek(dlq, 1);
    expect(String(letter.headers['x-conveyor-error'])).toMatch(
      /^invalid pool.drain.requested: data.servers: .*data.minHealthy: /s,
    );
    expect(
      orchestrator.events('pool.operation.failed', (d) => d.operationId === malformed.data.operationId),
    ).toEqual([]);
    expect(await online()).toEqual(before);
  });

  it('handles a repeated request (same event, or same operationId) once', async () => {
    const first = await drain('s2');
    await orchestrator.publishRaw('pool.drain.requested', JSON.stringify(first));
    await orchestrator.publishRaw('pool.drain.requested', JSON.stringify({ ...first, id: randomUUID() }));
    await orchestrator.outcome(first.data.operationId);
    const marker = await enable('s2');
    await orchestrator.outcome(marker.data.operationId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(
      orchestrator.events('pool.server.drained', (d) => d.operationId === first.data.operationId),
    ).toHaveLength(1);
    expect(
      orchestrator.events('pool.operation.failed', (d) => d.operationId === first.data.operationId),
    ).toEqual([]);
    expect(await online()).toMatchObject({ s2: 'ready' });
  });

  it('shows each server live next to its intended state on GET /pools, and exposes the metrics', async () => {
    await orchestrator.outcome((await drain('s3')).data.operationId);
    const pools = await fetchPools(service);
    expect(pools.map((pool) => pool.pool)).toEqual(['web']);
    expect(serverIn(pools, 'lb-a', 'online', 's3')).toMatchObject({
      state: 'maint',
      status: 'MAINT',
      sessions: 0,
      intended: 'maint',
      drift: false,
    });
    expect(serverIn(pools, 'lb-a', 'maintenance', 's3')).toMatchObject({
      state: 'ready',
      intended: 'ready',
      drift: false,
    });
    expect(serverIn(pools, 'lb-a', 'online', 's1')).toMatchObject({
      state: 'ready',
      status: 'UP',
      intended: 'ready',
      weight: 100,
    });

    const scrape = async () => (await fetch(`http://127.0.0.1:${service.port}/metrics`)).text();
    // The gauge follows the reconciler's pass (every second).
    const metrics = await waitFor('the gauge to count s3 in maintenance', async () => {
      const text = await scrape();
      return /conveyor_pool_servers\{pool="web",backend="be_online",state="maint"\} 1/.test(text) && text;
    });
    expect(metrics).toMatch(/conveyor_pool_operations_total\{operation="drain",outcome="succeeded"\} [1-9]/);
    expect(metrics).toMatch(/conveyor_pool_operations_total\{operation="drain",outcome="refused"\} [1-9]/);
    expect(metrics).toMatch(/conveyor_pool_drain_seconds_count [1-9]/);
    expect(metrics).toMatch(/conveyor_pool_servers\{pool="web",backend="be_online",state="maint"\} 1/);
    expect(metrics).toContain('conveyor_pool_drift_total');
  });
});
