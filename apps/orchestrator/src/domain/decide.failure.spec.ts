import type { DecisionInput } from './decide';
import { Driver, deploymentRequest, started } from '../testing/deployment.factory';

const failCanaryVerification = (a: DecisionInput): DecisionInput =>
  a.type === 'verification.passed' && isFirstVerification(a.verificationId)
    ? {
        type: 'verification.failed',
        verificationId: a.verificationId,
        reason: 'GET /health → 500',
        serverId: 'web-1',
      }
    : a;
let firstVerification: string | undefined;
function isFirstVerification(id: string): boolean {
  firstVerification ??= id;
  return firstVerification === id;
}

beforeEach(() => {
  firstVerification = undefined;
});

describe('a failure with onFailure: rollback', () => {
  it('rolls the canary back to the previous version, re-verifies it, puts it online and leaves the rest untouched', () => {
    const driver = new Driver(started(deploymentRequest())).run(failCanaryVerification);

    expect(driver.state.status).toBe('rolled_back');
    const rollbacks = driver.commands().filter((c) => c.kind === 'rollback');
    expect(rollbacks.map((c) => [c.nodeId, c.kind === 'rollback' && c.payload.toVersion])).toEqual([
      ['web-1', '1.0.0'],
    ]);
    const verifications = driver
      .events()
      .flatMap((e) => (e.type === 'verification.requested' ? [e.data.expectedVersion] : []));
    expect(verifications).toEqual(['2.0.0', '1.0.0']);
    const drained = driver.events().flatMap((e) => (e.type === 'pool.drain.requested' ? e.data.servers : []));
    expect(drained).toEqual(['web-1']);
    const enabled = driver
      .events()
      .flatMap((e) => (e.type === 'pool.enable.requested' ? e.data.servers : []));
    expect(enabled).toEqual(['web-1']);
    const end = driver.events().at(-1);
    expect(end?.type === 'deployment.rolled_back' && end.data).toEqual(
      expect.objectContaining({
        failedStep: 'verify',
        serverId: 'web-1',
        reason: 'verification failed: GET /health → 500',
      }),
    );
    expect(driver.state.outOfService).toEqual([]);
  });

  it('rolls back only servers whose deploy may have switched: a reported deploy failure kept the old release', () => {
    const driver = new Driver(started(deploymentRequest()));
    driver.run((a) =>
      a.type === 'agent.succeeded' && a.nodeId === 'web-3'
        ? { ...a, type: 'agent.failed', reason: 'hook start exited 1' }
        : a,
    );
    expect(
      driver
        .commands()
        .filter((c) => c.kind === 'rollback')
        .map((c) => c.nodeId),
    ).toEqual(['web-2']);
    // The canary (a batch already done) still serves 2.0.0 under onFailure rollback: not rolled back.
    const end = driver.events().at(-1);
    expect(driver.state.status).toBe('failed');
    expect(end?.type === 'deployment.failed' && end.data).toEqual(
      expect.objectContaining({ step: 'deploy', serverId: 'web-3' }),
    );
    expect(end?.type === 'deployment.failed' && end.data.reason).toContain(
      'not rolled back: web-1 2.0.0 (online)',
    );
    expect(driver.events().filter((e) => e.type === 'deployment.batch.completed')).toHaveLength(1);
  });

  it('touches no server when the pool manager refuses the drain, and says why', () => {
    const driver = new Driver(started(deploymentRequest())).run((a) =>
      a.type === 'pool.drained'
        ? { type: 'pool.failed', operationId: a.operationId, operation: 'drain', reason: 'capacity_floor' }
        : a,
    );
    expect(driver.commands()).toEqual([]);
    expect(driver.events().some((e) => e.type === 'pool.enable.requested')).toBe(false);
    const end = driver.events().at(-1);
    expect(end?.type === 'deployment.rolled_back' && end.data.reason).toBe(
      'pool drain failed: capacity_floor',
    );
  });

  it('ends failed, with nothing drained, when the migration fails', () => {
    const driver = new Driver(started(deploymentRequest({ migration: true }))).run((a) =>
      a.type === 'agent.succeeded' && a.kind === 'migrate'
        ? { ...a, type: 'agent.failed', reason: 'migration hook exited 3' }
        : a,
    );
    expect(driver.state.status).toBe('failed');
    expect(driver.eventTypes()).not.toContain('pool.drain.requested');
    const end = driver.events().at(-1);
    expect(end?.type === 'deployment.failed' && end.data).toEqual(
      expect.objectContaining({ step: 'migrate', serverId: 'web-1' }),
    );
  });

  it('ends failed and leaves the batch in maintenance when the rollback itself fails', () => {
    const driver = new Driver(started(deploymentRequest())).run((a) => {
      const failed = failCanaryVerification(a);
      return failed.type === 'agent.succeeded' && failed.kind === 'rollback'
        ? { ...failed, type: 'agent.failed', reason: 'no kept release' }
        : failed;
    });
    expect(driver.state.status).toBe('failed');
    expect(driver.state.outOfService).toEqual(['web-1']);
    const end = driver.events().at(-1);
    expect(end?.type === 'deployment.failed' && end.data.reason).toMatch(
      /recovery failed at rollback on web-1: no kept release/,
    );
  });
});

describe('a failure with onFailure: rollback-all', () => {
  it('restores the failed batch, then drains and rolls back the batches already done, newest first', () => {
    let verifications = 0;
    const driver = new Driver(started(deploymentRequest({ strategy: { onFailure: 'rollback-all' } }))).run(
      (a) => {
        if (a.type !== 'verification.passed') return a;
        verifications += 1;
        return verifications === 3
          ? { type: 'verification.failed', verificationId: a.verificationId, reason: 'smoke failed' }
          : a;
      },
    );
    expect(driver.state.status).toBe('rolled_back');
    expect(
      driver
        .commands()
        .filter((c) => c.kind === 'rollback')
        .map((c) => c.nodeId),
    ).toEqual(['web-4', 'web-5', 'web-2', 'web-3', 'web-1']);
    const drains = driver
      .events()
      .flatMap((e) => (e.type === 'pool.drain.requested' ? [e.data.servers] : []));
    expect(drains).toEqual([
      ['web-1'],
      ['web-2', 'web-3'],
      ['web-4', 'web-5'],
      ['web-2', 'web-3'],
      ['web-1'],
    ]);
  });
});

describe('a failure with onFailure: hold', () => {
  it('keeps the batch in maintenance, reports it held, and a retry issues new step ids and goes on', () => {
    const driver = new Driver(started(deploymentRequest({ strategy: { onFailure: 'hold' } }))).run(
      failCanaryVerification,
    );
    expect(driver.state.status).toBe('held');
    expect(driver.state.wakeAt).toBeNull();
    expect(driver.state.outOfService).toEqual(['web-1']);
    const failed = driver.events().at(-1);
    expect(failed?.type === 'deployment.failed' && failed.data).toEqual(
      expect.objectContaining({ step: 'verify', serverId: 'web-1' }),
    );
    expect(driver.commands().some((c) => c.kind === 'rollback')).toBe(false);

    const before = new Set(driver.state.steps.map((s) => s.stepId));
    const retry = driver.feed({ type: 'retry' });
    const retried = retry.events.find((e) => e.type === 'verification.requested');
    expect(retried?.type === 'verification.requested' && before.has(retried.data.verificationId)).toBe(false);
    expect(retry.state.steps.filter((s) => !before.has(s.stepId)).map((s) => s.kind)).toEqual(['verify']);
    expect(driver.run().state.status).toBe('succeeded');
  });

  it('an abort of a held deployment rolls the held batch back and puts it online', () => {
    const driver = new Driver(started(deploymentRequest({ strategy: { onFailure: 'hold' } }))).run(
      failCanaryVerification,
    );
    driver.feed({ type: 'abort', reason: 'giving up on 2.0.0' });
    driver.run();
    expect(driver.state.status).toBe('aborted');
    expect(driver.state.outOfService).toEqual([]);
    expect(
      driver
        .commands()
        .filter((c) => c.kind === 'rollback')
        .map((c) => c.nodeId),
    ).toEqual(['web-1']);
    const end = driver.events().at(-1);
    expect(end?.type === 'deployment.aborted' && end.data.reason).toBe('giving up on 2.0.0');
  });
});

describe('timeouts and agent liveness', () => {
  it('fails a deploy whose agent went silent within the silence window, long before the step deadline', () => {
    const driver = new Driver(started(deploymentRequest()));
    driver.run((a) => (a.type === 'agent.succeeded' ? null : a));
    const deploy = driver.state.steps.find((s) => s.kind === 'deploy');
    if (!deploy) throw new Error('no deploy');
    expect(driver.state.wakeAt).toBe(driver.now + 1_000);
    driver.feed({ type: 'tick', lastHeartbeats: { 'web-1': driver.now } }, 5_000);
    expect(driver.state.status).toBe('running');
    driver.feed({ type: 'tick', lastHeartbeats: { 'web-1': driver.now - 5_000 } }, 6_000);
    expect(driver.state.status).toBe('recovering');
    expect(driver.state.failure).toEqual(
      expect.objectContaining({
        step: 'deploy',
        serverId: 'web-1',
        reason: expect.stringMatching(/agent web-1 went silent \(last heartbeat 11 s ago\)/),
      }),
    );
    expect(driver.now - deploy.issuedAt).toBeLessThan(deploy.deadlineAt - deploy.issuedAt);
  });

  it('fails a verification that got no answer at its deadline, not before', () => {
    const driver = new Driver(started(deploymentRequest()));
    driver.run((a) => (a.type === 'verification.passed' ? null : a));
    const verify = driver.state.steps.find((s) => s.kind === 'verify');
    if (!verify) throw new Error('no verify');
    expect(driver.state.wakeAt).toBe(verify.deadlineAt);
    driver.feed({ type: 'tick', lastHeartbeats: {} }, verify.deadlineAt - 1 - driver.now);
    expect(driver.state.failure).toBeUndefined();
    driver.feed({ type: 'tick', lastHeartbeats: {} }, 1);
    expect(driver.state.failure).toEqual(
      expect.objectContaining({ step: 'verify', reason: 'verify got no answer within 90 s' }),
    );
  });
});

describe('a degraded bake window', () => {
  it('rolls back the batches of the degraded servers (onFailure: rollback), and says the rest still runs the new version', () => {
    const driver = new Driver(started(deploymentRequest({ bakeSeconds: 60 }))).run((a) =>
      a.type === 'bake.completed' ? null : a,
    );
    expect(driver.state.status).toBe('baking');
    driver.feed({ type: 'health.degraded', servers: ['web-4'], detail: 'web-4 failed 3 probes' });
    driver.run();
    expect(driver.state.status).toBe('failed');
    expect(
      driver
        .commands()
        .filter((c) => c.kind === 'rollback')
        .map((c) => c.nodeId),
    ).toEqual(['web-4', 'web-5']);
    const end = driver.events().at(-1);
    expect(end?.type === 'deployment.failed' && end.data).toEqual(
      expect.objectContaining({ step: 'bake', serverId: 'web-4' }),
    );
    expect(end?.type === 'deployment.failed' && end.data.servers).toEqual([
      { serverId: 'web-1', version: '2.0.0', state: 'new', inPool: true },
      { serverId: 'web-2', version: '2.0.0', state: 'new', inPool: true },
      { serverId: 'web-3', version: '2.0.0', state: 'new', inPool: true },
      { serverId: 'web-4', version: '1.0.0', state: 'previous', inPool: true },
      { serverId: 'web-5', version: '1.0.0', state: 'previous', inPool: true },
      { serverId: 'web-6', version: '2.0.0', state: 'new', inPool: true },
    ]);
  });
});

describe('agent liveness after the orchestrator restarted', () => {
  it('judges silence only over the time this instance has been listening to heartbeats', () => {
    const driver = new Driver(started(deploymentRequest()));
    driver.run((a) => (a.type === 'agent.succeeded' ? null : a));
    const restartedAt = driver.now + 20_000;
    driver.feed(
      { type: 'tick', lastHeartbeats: { 'web-1': driver.now }, listeningSince: restartedAt },
      20_000,
    );
    expect(driver.state.failure).toBeUndefined();
    driver.feed(
      { type: 'tick', lastHeartbeats: { 'web-1': driver.now - 20_000 }, listeningSince: restartedAt },
      10_001,
    );
    expect(driver.state.failure).toEqual(expect.objectContaining({ step: 'deploy', serverId: 'web-1' }));
  });
});
