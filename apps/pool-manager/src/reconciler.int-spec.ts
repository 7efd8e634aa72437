import { randomUUID } from 'node:crypto';
import type { RunningService } from '@conveyor/service-kit';
import { waitFor, type BackendFleet, type HaproxyHandle } from '@conveyor/testing';
import type { EventRecorder } from './testing/event-recorder';
import { adminStates } from './testing/haproxy-states';
import { PoolTestBed } from './testing/pool-manager-harness';

describe('pool manager: intended state survives HAProxy restarts and its own', () => {
  let fleet: BackendFleet;
  let haproxy: HaproxyHandle;
  let orchestrator: EventRecorder;
  const running: RunningService[] = [];
  const servers = ['s1', 's2', 's3'];
  const bed = new PoolTestBed({ servers: servers.length, poolManager: false });

  const start = async () => {
    // The default reconcile interval (1 s): the one the 2-second bound is promised for.
    const service = await bed.startPoolManager({ reconcileIntervalMs: 1000 });
    running.push(service);
    return service;
  };

  beforeAll(async () => {
    ({ fleet, orchestrator } = await bed.start());
    [haproxy] = bed.haproxy;
  }, 120_000);

  afterAll(() => bed.close());

  it('takes a maintenance server out again within 2 s of an HAProxy restart and reports the drift', async () => {
    await start();
    const request = await orchestrator.publish('pool.drain.requested', {
      operationId: randomUUID(),
      pool: 'web',
      servers: ['s1'],
      drainTimeoutMs: 5000,
      minHealthy: 1,
      onTimeout: 'fail',
    });
    await orchestrator.expectOutcome(request.data.operationId, 'pool.server.drained');

    await haproxy.restart();
    await waitFor(
      's1 back in maintenance',
      async () => (await adminStates(haproxy.client, 'be_online'))['s1'] === 'maint',
      {
        timeoutMs: 2000,
      },
    );
    const detected = await orchestrator.next(
      'pool.drift.detected',
      (d) => d.server === 's1' && d.backend === 'be_online',
    );
    expect(detected.data).toEqual({
      pool: 'web',
      instance: 'lb-a',
      backend: 'be_online',
      server: 's1',
      intended: 'maint',
      observed: expect.stringMatching(/^ready \(UP/),
    });
    const corrected = await orchestrator.next(
      'pool.drift.corrected',
      (d) => d.server === 's1' && d.backend === 'be_online',
    );
    expect(corrected.data).toMatchObject({ pool: 'web', instance: 'lb-a', server: 's1', intended: 'maint' });
    // The maintenance backend is put back too: s1 stays reachable for testers, the others are not touched.
    expect(await adminStates(haproxy.client, 'be_maintenance')).toMatchObject({ s1: 'ready' });
    expect(await adminStates(haproxy.client, 'be_online')).toEqual({ s1: 'maint', s2: 'ready', s3: 'ready' });
  });

  it('resumes a drain interrupted by its own restart, without draining twice', async () => {
    const first = running[0] ?? (await start());
    const held = fetch(`${haproxy.onlineUrl}/hold`).then(
      (response) => response.status,
      () => 0,
    );
    const holder = await waitFor('a held request', () =>
      fleet.servers.find((server) => server.counters.held > 0),
    );
    const request = await orchestrator.publish('pool.drain.requested', {
      operationId: randomUUID(),
      pool: 'web',
      servers: [holder.id],
      drainTimeoutMs: 20_000,
      minHealthy: 1,
      onTimeout: 'fail',
    });
    await waitFor(
      'the drain under way',
      async () => (await adminStates(haproxy.client, 'be_online'))[holder.id] === 'drain',
    );
    await first.close();
    running.splice(running.indexOf(first), 1);

    await start();
    fleet.byId(holder.id).releaseHeld();
    expect(await held).toBe(200);
    const drained = await orchestrator.expectOutcome(request.data.operationId, 'pool.server.drained');
    expect(drained.servers).toEqual([expect.objectContaining({ server: holder.id, sessionsShutDown: 0 })]);
    expect((await adminStates(haproxy.client, 'be_online'))[holder.id]).toBe('maint');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(
      orchestrator.events('pool.server.drained', (d) => d.operationId === request.data.operationId),
    ).toHaveLength(1);
  });
});
