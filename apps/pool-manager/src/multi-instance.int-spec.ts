import { randomUUID } from 'node:crypto';
import type { RunningService } from '@conveyor/service-kit';
import { waitFor, type BackendFleet, type HaproxyHandle } from '@conveyor/testing';
import type { EventRecorder } from './testing/event-recorder';
import { adminStates } from './testing/haproxy-states';
import { fetchPools, PoolTestBed, serverIn } from './testing/pool-manager-harness';

/** An active/standby pair: two HAProxy processes carrying the same pool. */
describe('pool manager: one pool on two HAProxy instances', () => {
  let fleet: BackendFleet;
  let lbA: HaproxyHandle;
  let lbB: HaproxyHandle;
  let service: RunningService;
  let orchestrator: EventRecorder;
  const servers = ['s1', 's2', 's3'];
  const bed = new PoolTestBed({ servers: servers.length, instances: 2 });

  const drain = (server: string, drainTimeoutMs = 10_000) =>
    orchestrator.publish('pool.drain.requested', {
      operationId: randomUUID(),
      pool: 'web',
      servers: [server],
      drainTimeoutMs,
      minHealthy: 1,
      onTimeout: 'fail',
    });
  const enable = (server: string) =>
    orchestrator.publish('pool.enable.requested', {
      operationId: randomUUID(),
      pool: 'web',
      servers: [server],
      healthTimeoutMs: 10_000,
    });

  beforeAll(async () => {
    ({ fleet, orchestrator, poolManager: service } = await bed.start());
    [lbA, lbB] = bed.haproxy;
  }, 120_000);

  afterAll(() => bed.close());

  it('drains and enables on both instances, which end in the same state', async () => {
    await orchestrator.expectOutcome((await drain('s1')).data.operationId, 'pool.server.drained');
    for (const lb of [lbA, lbB]) {
      expect(await adminStates(lb.client, 'be_online')).toEqual({ s1: 'maint', s2: 'ready', s3: 'ready' });
      expect(await adminStates(lb.client, 'be_maintenance')).toEqual({
        s1: 'ready',
        s2: 'ready',
        s3: 'ready',
      });
    }
    await orchestrator.expectOutcome((await enable('s1')).data.operationId, 'pool.server.enabled');
    for (const lb of [lbA, lbB]) {
      expect(await adminStates(lb.client, 'be_online')).toEqual({ s1: 'ready', s2: 'ready', s3: 'ready' });
      expect(await adminStates(lb.client, 'be_maintenance')).toEqual({
        s1: 'maint',
        s2: 'ready',
        s3: 'ready',
      });
    }
  });

  it('when one socket goes away mid-drain, fails naming that instance and puts the other back', async () => {
    // A held request on lb-a keeps s2 draining there while lb-b disappears.
    const held = fetch(`${lbA.onlineUrl}/hold`).then(
      (response) => response.status,
      () => 0,
    );
    const holder = await waitFor('a held request', () =>
      fleet.servers.find((server) => server.counters.held > 0),
    );
    const request = await drain(holder.id);
    await waitFor(
      'lb-a to drain it',
      async () => (await adminStates(lbA.client, 'be_online'))[holder.id] === 'drain',
    );
    await lbB.stop();

    const failed = await orchestrator.expectOutcome(request.data.operationId, 'pool.operation.failed');
    expect(failed).toMatchObject({ reason: 'instance_unreachable', instance: 'lb-b', operation: 'drain' });
    // The socket may vanish during a command or while waiting for sessions: the wording of the cause
    // varies, what the operator needs does not — which instance failed, and that lb-a was put back.
    expect(failed.detail).toMatch(
      new RegExp(`^instance lb-b: HAProxy runtime socket .* is unreachable: .*; put back on lb-a$`),
    );
    expect((await adminStates(lbA.client, 'be_online'))[holder.id]).toBe('ready');
    expect(serverIn(await fetchPools(service), 'lb-a', 'online', holder.id)).toMatchObject({
      state: 'ready',
      intended: 'ready',
      drift: false,
    });
    fleet.byId(holder.id).releaseHeld();
    expect(await held).toBe(200);
  });

  it('refuses up front, changing nothing, when an instance is already gone', async () => {
    const before = await adminStates(lbA.client, 'be_online');
    const failed = await orchestrator.expectOutcome(
      (await drain('s3')).data.operationId,
      'pool.operation.failed',
    );
    expect(failed).toMatchObject({ reason: 'instance_unreachable', instance: 'lb-b' });
    expect(await adminStates(lbA.client, 'be_online')).toEqual(before);
    const view = await fetchPools(service);
    expect(view[0].instances.find((instance) => instance.instance === 'lb-b')).toMatchObject({
      reachable: false,
    });
  });
});
