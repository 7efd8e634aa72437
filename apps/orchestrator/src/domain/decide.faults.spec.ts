import type { DecisionInput } from './decide';
import type { DeploymentState } from './deployment-state.types';
import { serverVersions } from './server-versions';
import { startDeployment } from './start-deployment';
import { MAX_ROLLBACK_TRIES } from './step-outcomes';
import { Driver, deploymentRequest, serverIds, startContext, started } from '../testing/deployment.factory';

const STEP_TIMEOUT_MS = 60_000;

/** Every agent heard from just now. */
function fresh(driver: Driver, count = 6): Record<string, number> {
  return Object.fromEntries(serverIds(count).map((id) => [id, driver.now]));
}

/** Advances the clock past the earliest deadline and ticks with every agent alive. */
function tickPastDeadline(driver: Driver, count = 6): void {
  const wake = driver.state.wakeAt ?? driver.now;
  const deadline = Math.min(
    ...driver.state.steps.filter((s) => s.status === 'issued').map((s) => s.deadlineAt),
  );
  driver.feed(
    { type: 'tick', lastHeartbeats: fresh(driver, count) },
    Math.max(1, deadline - driver.now, wake - driver.now),
  );
}

/** The verification of the batch holding `server` fails (forward only), naming that server. */
function failForwardVerificationOf(driver: Driver, server: string) {
  return (a: DecisionInput): DecisionInput => {
    if (a.type !== 'verification.passed') return a;
    const step = driver.state.steps.find((s) => s.requestId === a.verificationId);
    return step?.purpose === 'forward' && step.servers.includes(server)
      ? {
          type: 'verification.failed',
          verificationId: a.verificationId,
          reason: 'GET /health → 500',
          serverId: server,
        }
      : a;
  };
}

function versionsOf(state: DeploymentState) {
  return Object.fromEntries(serverVersions(state).map((v) => [v.serverId, `${v.version ?? '?'}/${v.state}`]));
}

describe('the silence clock counts only time the orchestrator could hear', () => {
  it('does not count an agent silent while the broker connection was down, and gives a fresh grace period after the reconnect', () => {
    const driver = new Driver(started(deploymentRequest()));
    driver.run((a) => (a.type === 'agent.succeeded' ? null : a)); // the canary's deploy runs
    const lastHeard = driver.now;
    // Disconnected for 30 s (three times the silence limit): the engine passes listeningSince = now.
    for (let i = 0; i < 6; i++)
      driver.feed(
        { type: 'tick', lastHeartbeats: { 'web-1': lastHeard }, listeningSince: driver.now + 5_000 },
        5_000,
      );
    expect(driver.state.failure).toBeUndefined();
    // Reconnected: no heartbeat yet, but the grace period starts at the reconnect.
    const reconnectedAt = driver.now;
    driver.feed(
      { type: 'tick', lastHeartbeats: { 'web-1': lastHeard }, listeningSince: reconnectedAt },
      9_000,
    );
    expect(driver.state.failure).toBeUndefined();
    expect(driver.state.status).toBe('running');
    // Still silent a full silence period after the reconnect: that is real silence.
    driver.feed(
      { type: 'tick', lastHeartbeats: { 'web-1': lastHeard }, listeningSince: reconnectedAt },
      1_001,
    );
    expect(driver.state.failure).toEqual(
      expect.objectContaining({
        step: 'deploy',
        serverId: 'web-1',
        reason: expect.stringContaining('went silent'),
      }),
    );
  });
});

describe('after a broker outage the agents get their reconnect window before silence counts', () => {
  /** Silence limit 10 s, reconnect grace 40 s: agents come back over a jittered window of up to 30 s. */
  function withGrace(): Driver {
    const result = startDeployment(
      deploymentRequest(),
      { ...startContext(), agentReconnectGraceMs: 40_000 },
      0,
    );
    if (!result.ok) throw new Error(result.detail);
    const driver = new Driver(result.decision);
    driver.run((a) => (a.type === 'agent.succeeded' ? null : a)); // the canary's deploy runs
    return driver;
  }

  it('waits for an agent that comes back 25 s after the reconnect, then goes on', () => {
    const driver = withGrace();
    const lastHeard = driver.now;
    const reconnectedAt = driver.now + 12_000;
    driver.feed(
      { type: 'tick', lastHeartbeats: { 'web-1': lastHeard }, listeningSince: driver.now + 12_000 },
      12_000,
    );
    driver.feed(
      { type: 'tick', lastHeartbeats: { 'web-1': lastHeard }, listeningSince: reconnectedAt },
      25_000,
    );
    expect(driver.state.failure).toBeUndefined();
    // Back: heard again, and then judged by the ordinary silence limit.
    const back = driver.now;
    driver.feed({ type: 'tick', lastHeartbeats: { 'web-1': back }, listeningSince: reconnectedAt }, 9_000);
    expect(driver.state.failure).toBeUndefined();
    driver.feed({ type: 'tick', lastHeartbeats: { 'web-1': back }, listeningSince: reconnectedAt }, 1_001);
    expect(driver.state.failure).toEqual(
      expect.objectContaining({ serverId: 'web-1', reason: expect.stringContaining('went silent') }),
    );
  });

  it('counts an agent silent once the whole reconnect window passed without a word from it', () => {
    const driver = withGrace();
    const lastHeard = driver.now;
    const reconnectedAt = driver.now;
    driver.feed(
      { type: 'tick', lastHeartbeats: { 'web-1': lastHeard - 1 }, listeningSince: reconnectedAt },
      40_000,
    );
    expect(driver.state.failure).toBeUndefined();
    driver.feed(
      { type: 'tick', lastHeartbeats: { 'web-1': lastHeard - 1 }, listeningSince: reconnectedAt },
      1,
    );
    expect(driver.state.failure).toEqual(
      expect.objectContaining({ serverId: 'web-1', reason: expect.stringContaining('went silent') }),
    );
  });
});

describe('when no agent at all is heard, the orchestrator is the one not hearing', () => {
  it('does not fail a step for silence while every other agent is silent too (its database or consumers are behind)', () => {
    const driver = new Driver(started(deploymentRequest()));
    driver.run((a) => (a.type === 'agent.succeeded' ? null : a)); // the canary's deploy runs
    const lastHeard = driver.now;
    driver.feed({ type: 'tick', lastHeartbeats: { 'web-1': lastHeard }, othersHeardAt: lastHeard }, 15_000);
    expect(driver.state.failure).toBeUndefined();
    // The backlog is processed: the others are heard again, web-1 still is not — that is its own silence.
    driver.feed({ type: 'tick', lastHeartbeats: { 'web-1': lastHeard }, othersHeardAt: driver.now }, 1_000);
    expect(driver.state.failure).toEqual(
      expect.objectContaining({ serverId: 'web-1', reason: expect.stringContaining('went silent') }),
    );
  });

  it('still fails the step of an agent that died alone while the rest of the fleet is heard', () => {
    const driver = new Driver(started(deploymentRequest()));
    driver.run((a) => (a.type === 'agent.succeeded' ? null : a));
    const lastHeard = driver.now;
    driver.feed(
      { type: 'tick', lastHeartbeats: { 'web-1': lastHeard }, othersHeardAt: lastHeard + 10_500 },
      10_001,
    );
    expect(driver.state.failure).toEqual(expect.objectContaining({ serverId: 'web-1' }));
  });
});

describe('agent commands are sent again until answered', () => {
  it('re-sends a deploy whose reply did not come, with the same step id, and goes on when the answer comes', () => {
    const driver = new Driver(started(deploymentRequest()));
    let dropped = 0;
    driver.run((a) => (a.type === 'agent.succeeded' && dropped++ === 0 ? null : a));
    expect(driver.state.status).toBe('running');
    const [deploy] = driver.commands();
    tickPastDeadline(driver);
    const again = driver.last.commands;
    expect(again).toHaveLength(1);
    expect(again[0]?.payload.stepId).toBe(deploy?.payload.stepId);
    expect(again[0]?.kind).toBe('deploy');
    const step = driver.state.steps.find((s) => s.stepId === deploy?.payload.stepId);
    expect(step).toEqual(
      expect.objectContaining({ status: 'issued', sends: 2, deadlineAt: driver.now + STEP_TIMEOUT_MS }),
    );
    driver.run();
    expect(driver.state.status).toBe('succeeded');
  });

  it('times the step out only after the re-sends went unanswered (3 sends by default)', () => {
    const driver = new Driver(started(deploymentRequest()));
    driver.run((a) => (a.type === 'agent.succeeded' ? null : a));
    for (let i = 0; i < 3; i++) tickPastDeadline(driver);
    const canaryDeploys = driver.commands().filter((c) => c.kind === 'deploy' && c.nodeId === 'web-1');
    expect(canaryDeploys).toHaveLength(3);
    expect(new Set(canaryDeploys.map((c) => c.payload.stepId)).size).toBe(1);
    expect(driver.state.failure).toEqual(
      expect.objectContaining({
        step: 'deploy',
        serverId: 'web-1',
        reason: 'deploy got no answer within 180 s (sent 3 times)',
      }),
    );
    expect(driver.state.status).toBe('recovering');
  });

  it('re-sends a rollback whose reply was lost, and the rollback completes', () => {
    let firstVerification: string | undefined;
    const driver = new Driver(started(deploymentRequest()));
    let droppedRollback = false;
    driver.run((a) => {
      if (a.type === 'verification.passed' && (firstVerification ??= a.verificationId) === a.verificationId)
        return { type: 'verification.failed', verificationId: a.verificationId, reason: 'GET /health → 500' };
      if (a.type === 'agent.succeeded' && a.kind === 'rollback' && !droppedRollback) {
        droppedRollback = true;
        return null;
      }
      return a;
    });
    expect(driver.state.status).toBe('recovering');
    tickPastDeadline(driver);
    const rollbacks = driver.commands().filter((c) => c.kind === 'rollback');
    expect(rollbacks.map((c) => c.nodeId)).toEqual(['web-1', 'web-1']);
    expect(rollbacks[0]?.payload.stepId).toBe(rollbacks[1]?.payload.stepId);
    driver.run();
    expect(driver.state.status).toBe('rolled_back');
    expect(versionsOf(driver.state)['web-1']).toBe('1.0.0/previous');
  });
});

describe('a rollback cut short by its agent crashing is asked for again', () => {
  const failCanary = () => {
    let firstVerification: string | undefined;
    return (a: DecisionInput): DecisionInput =>
      a.type === 'verification.passed' && (firstVerification ??= a.verificationId) === a.verificationId
        ? { type: 'verification.failed', verificationId: a.verificationId, reason: 'GET /health → 500' }
        : a;
  };
  const interrupted = (a: DecisionInput): DecisionInput =>
    a.type === 'agent.succeeded' && a.kind === 'rollback'
      ? { ...a, type: 'agent.failed', reason: 'rollback failed on web-1 at interrupted', interrupted: true }
      : a;

  it('issues a new rollback step when the restarted agent reports the first one interrupted, and ends rolled_back', () => {
    const driver = new Driver(started(deploymentRequest()));
    let crashes = 0;
    const fail = failCanary();
    driver.run((a) => {
      const answer = fail(a);
      return answer.type === 'agent.succeeded' && answer.kind === 'rollback' && crashes++ === 0
        ? interrupted(answer)
        : answer;
    });
    const rollbacks = driver.commands().filter((c) => c.kind === 'rollback');
    expect(rollbacks.map((c) => c.nodeId)).toEqual(['web-1', 'web-1']);
    expect(rollbacks[0]?.payload.stepId).not.toBe(rollbacks[1]?.payload.stepId);
    expect(driver.state.status).toBe('rolled_back');
    expect(driver.state.stranded ?? []).toEqual([]);
    expect(versionsOf(driver.state)['web-1']).toBe('1.0.0/previous');
  });

  it('strands the server after three interrupted rollbacks, and says so', () => {
    const driver = new Driver(started(deploymentRequest()));
    const fail = failCanary();
    driver.run((a) => interrupted(fail(a)));
    expect(driver.commands().filter((c) => c.kind === 'rollback')).toHaveLength(MAX_ROLLBACK_TRIES);
    expect(driver.state.stranded).toEqual(['web-1']);
  });

  it('does not ask again for a rollback that failed for another reason', () => {
    const driver = new Driver(started(deploymentRequest()));
    const fail = failCanary();
    driver.run((a) => {
      const answer = fail(a);
      return answer.type === 'agent.succeeded' && answer.kind === 'rollback'
        ? { ...answer, type: 'agent.failed', reason: 'hook start failed' }
        : answer;
    });
    expect(driver.commands().filter((c) => c.kind === 'rollback')).toHaveLength(1);
    expect(driver.state.stranded).toEqual(['web-1']);
  });
});

describe('a failed recovery on one server does not keep its healthy batch-mates out', () => {
  it('puts the healthy batch-mate back, leaves the failed one out and names it', () => {
    const driver = new Driver(started(deploymentRequest({ strategy: { onFailure: 'rollback-all' } })));
    driver.run((a) => {
      const failed = failForwardVerificationOf(driver, 'web-2')(a);
      if (failed !== a) return failed;
      return a.type === 'agent.succeeded' && a.kind === 'rollback' && a.nodeId === 'web-2'
        ? { ...a, type: 'agent.failed', reason: 'release 1.0.0 is not kept on this node' }
        : a;
    });
    const enables = driver
      .events()
      .flatMap((e) => (e.type === 'pool.enable.requested' ? [e.data.servers] : []));
    // Forward: the canary; recovery: web-3 alone (web-2 stranded), then the canary once rolled back.
    expect(enables).toEqual([['web-1'], ['web-3'], ['web-1']]);
    const reverify = driver
      .events()
      .flatMap((e) =>
        e.type === 'verification.requested'
          ? [[e.data.expectedVersion, e.data.servers.map((s) => s.id)]]
          : [],
      );
    expect(reverify).toContainEqual(['1.0.0', ['web-3']]);
    expect(driver.state.outOfService).toEqual(['web-2']);
    // Its rollback failed: what web-2 runs is unknown, so its agent is asked before the outcome.
    expect(driver.state.status).toBe('recovering');
    const ask = driver.events().find((e) => e.type === 'agent.state.requested');
    if (ask?.type !== 'agent.state.requested') throw new Error('web-2 was not asked');
    expect(ask.data.nodeId).toBe('web-2');
    driver.feed({
      type: 'agent.state.reported',
      requestId: ask.data.requestId,
      nodeId: 'web-2',
      currentVersion: '2.0.0',
    });
    expect(driver.state.status).toBe('failed');
    const end = driver.events().at(-1);
    expect(end?.type).toBe('deployment.failed');
    expect(end?.type === 'deployment.failed' && end.data.reason).toContain('web-2 2.0.0 (out of the pool)');
    expect(end?.type === 'deployment.failed' && end.data.reason).toContain(
      'recovery failed on web-2 (left out of the pool)',
    );
    expect(
      end?.type === 'deployment.failed' && end.data.servers?.find((s) => s.serverId === 'web-3'),
    ).toEqual({
      serverId: 'web-3',
      version: '1.0.0',
      state: 'previous',
      inPool: true,
    });
  });

  it('asks an agent whose rollback outcome is unknown what it runs, and reports its answer', () => {
    const driver = new Driver(started(deploymentRequest({ strategy: { onFailure: 'rollback-all' } })));
    driver.run((a) => {
      const failed = failForwardVerificationOf(driver, 'web-2')(a);
      if (failed !== a) return failed;
      return a.type === 'agent.succeeded' && a.kind === 'rollback' && a.nodeId === 'web-2' ? null : a;
    });
    for (let i = 0; i < 3 && !driver.events().some((e) => e.type === 'agent.state.requested'); i++) {
      tickPastDeadline(driver);
      driver.run((a) =>
        a.type === 'agent.succeeded' && a.kind === 'rollback' && a.nodeId === 'web-2' ? null : a,
      );
    }
    const asks = driver.events().flatMap((e) => (e.type === 'agent.state.requested' ? [e.data] : []));
    expect(asks.map((a) => a.nodeId)).toEqual(['web-2']);
    expect(driver.state.status).toBe('recovering');
    expect(versionsOf(driver.state)['web-2']).toBe('?/unknown');
    const ask = asks[0];
    if (!ask) throw new Error('no ask');
    driver.feed({
      type: 'agent.state.reported',
      requestId: ask.requestId,
      nodeId: 'web-2',
      currentVersion: '2.0.0',
    });
    expect(driver.state.status).toBe('failed');
    const end = driver.events().at(-1);
    expect(
      end?.type === 'deployment.failed' && end.data.servers?.find((s) => s.serverId === 'web-2'),
    ).toEqual({
      serverId: 'web-2',
      version: '2.0.0',
      state: 'new',
      inPool: false,
    });
  });

  it('ignores a state report nobody asked for', () => {
    const driver = new Driver(started(deploymentRequest()));
    const decision = driver.feed({
      type: 'agent.state.reported',
      requestId: '00000000-0000-4000-8000-000000000000',
      nodeId: 'web-1',
      currentVersion: '2.0.0',
    });
    expect(decision.ignored).toBe('no state request of this deployment matches the report');
  });
});

describe('truthful outcomes: rolled_back only when no server serves the new version', () => {
  const failSecondBatch = (driver: Driver) => failForwardVerificationOf(driver, 'web-2');

  it('onFailure rollback-all: the canary, done before the failure, is rolled back too, then rolled_back', () => {
    const driver = new Driver(started(deploymentRequest({ strategy: { onFailure: 'rollback-all' } })));
    driver.run(failSecondBatch(driver));
    expect(driver.state.status).toBe('rolled_back');
    expect(
      driver
        .commands()
        .filter((c) => c.kind === 'rollback')
        .map((c) => c.nodeId),
    ).toEqual(['web-2', 'web-3', 'web-1']);
    expect(Object.values(versionsOf(driver.state)).every((v) => v.endsWith('/previous'))).toBe(true);
  });

  it('onFailure rollback: the canary keeps the new version, so the deployment is failed, naming every server and version', () => {
    const driver = new Driver(started(deploymentRequest()));
    driver.run(failSecondBatch(driver));
    expect(driver.state.status).toBe('failed');
    const end = driver.events().at(-1);
    expect(end?.type === 'deployment.failed' && end.data.reason).toContain(
      'not rolled back: web-1 2.0.0 (online)',
    );
    expect(
      end?.type === 'deployment.failed' && end.data.servers?.map((s) => `${s.serverId} ${s.version}`),
    ).toEqual(['web-1 2.0.0', 'web-2 1.0.0', 'web-3 1.0.0', 'web-4 1.0.0', 'web-5 1.0.0', 'web-6 1.0.0']);
    expect(driver.events().some((e) => e.type === 'deployment.rolled_back')).toBe(false);
  });
});

describe('an agent that comes back is sent again what it has not answered', () => {
  it('re-sends the in-flight deploy at once, same step id and deadline, without using up the re-sends', () => {
    const driver = new Driver(started(deploymentRequest()));
    driver.run((a) => (a.type === 'agent.succeeded' ? null : a)); // the canary's deploy is in flight
    const step = driver.state.steps.find((s) => s.kind === 'deploy' && s.status === 'issued');
    expect(step?.servers).toEqual(['web-1']);
    const before = { deadlineAt: step?.deadlineAt, sends: step?.sends };

    const decision = driver.feed({ type: 'agent.returned', nodeId: 'web-1' });

    expect(decision.ignored).toBeUndefined();
    expect(decision.commands).toEqual([
      expect.objectContaining({
        kind: 'deploy',
        nodeId: 'web-1',
        payload: expect.objectContaining({ stepId: step?.stepId }),
      }),
    ]);
    const after = driver.state.steps.find((s) => s.stepId === step?.stepId);
    expect({ deadlineAt: after?.deadlineAt, sends: after?.sends, status: after?.status }).toEqual({
      ...before,
      status: 'issued',
    });
  });

  it('sends nothing when the agent that came back owes no answer', () => {
    const driver = new Driver(started(deploymentRequest()));
    driver.run((a) => (a.type === 'agent.succeeded' ? null : a));
    const decision = driver.feed({ type: 'agent.returned', nodeId: 'web-2' });
    expect(decision.commands).toEqual([]);
    expect(decision.events).toEqual([]);
    expect(decision.ignored).toBe('no request of this deployment waits on web-2');
  });

  it('asks a returning agent again what it serves when its state report was awaited', () => {
    const driver = new Driver(started(deploymentRequest({ strategy: { onFailure: 'rollback-all' } })));
    // web-2's verification fails and then its rollback: what it serves is unknown, so its agent is asked.
    driver.run((a) => {
      const failed = failForwardVerificationOf(driver, 'web-2')(a);
      if (failed !== a) return failed;
      return a.type === 'agent.succeeded' && a.kind === 'rollback' && a.nodeId === 'web-2'
        ? { ...a, type: 'agent.failed', reason: 'hook start failed' }
        : a;
    });
    const inspect = driver.state.steps.find((s) => s.kind === 'inspect' && s.status === 'issued');
    expect(inspect?.servers).toEqual(['web-2']);

    const decision = driver.feed({ type: 'agent.returned', nodeId: 'web-2' });

    expect(decision.events).toEqual([
      expect.objectContaining({
        type: 'agent.state.requested',
        data: expect.objectContaining({ nodeId: 'web-2', requestId: inspect?.requestId }),
      }),
    ]);
  });
});
