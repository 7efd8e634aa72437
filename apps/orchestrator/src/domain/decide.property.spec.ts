import fc from 'fast-check';
import type { DecisionInput } from './decide';
import { TERMINAL_STATUSES, type Decision } from './deployment-state.types';
import { Driver, deploymentRequest, serverIds, started } from '../testing/deployment.factory';

type Verdict = 'ok' | 'fail' | 'drop';
type Action =
  | { kind: 'answer'; pick: number; verdict: Verdict }
  | { kind: 'duplicate'; pick: number }
  | { kind: 'control'; control: 'pause' | 'resume' | 'abort' | 'retry' }
  | { kind: 'exclude'; server: number }
  | { kind: 'tick'; advanceMs: number; silent: number[] };

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('answer' as const),
      pick: fc.nat(),
      verdict: fc.constantFrom<Verdict>('ok', 'ok', 'ok', 'fail', 'drop'),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('control' as const),
      control: fc.constantFrom('pause' as const, 'resume' as const, 'abort' as const, 'retry' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('exclude' as const), server: fc.nat(9) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('tick' as const),
      advanceMs: fc.integer({ min: 0, max: 200_000 }),
      silent: fc.array(fc.nat(9), { maxLength: 3 }),
    }),
  },
);

const scenario = fc
  .record({
    servers: fc.integer({ min: 1, max: 8 }),
    batchSize: fc.integer({ min: 1, max: 3 }),
    canary: fc.constantFrom(null, 1),
    floorGap: fc.integer({ min: 1, max: 4 }),
    onFailure: fc.constantFrom('rollback' as const, 'hold' as const, 'rollback-all' as const),
    migration: fc.boolean(),
    bakeSeconds: fc.constantFrom(0, 30),
    actions: fc.array(action, { maxLength: 80 }),
  })
  .map((s) => ({ ...s, minHealthy: Math.max(0, s.servers - s.floorGap) }));

function failed(answer: DecisionInput): DecisionInput {
  switch (answer.type) {
    case 'pool.drained':
      return {
        type: 'pool.failed',
        operationId: answer.operationId,
        operation: 'drain',
        reason: 'capacity_floor',
      };
    case 'pool.enabled':
      return { type: 'pool.failed', operationId: answer.operationId, operation: 'enable', reason: 'timeout' };
    case 'agent.succeeded':
      return { ...answer, type: 'agent.failed', reason: 'hook failed' };
    case 'verification.passed':
      return { type: 'verification.failed', verificationId: answer.verificationId, reason: 'smoke failed' };
    case 'bake.completed':
      return { ...answer, outcome: 'degraded', detail: 'probes failed' };
    default:
      return answer;
  }
}

/** Checks every invariant on each decision, from the events emitted (not the state's own bookkeeping). */
class InvariantChecker {
  private readonly intendedOut = new Set<string>();
  private readonly issued = new Set<string>();
  private readonly drainServers = new Map<string, string[]>();
  private maxBatch = 0;
  private floor = -1;
  private endings = 0;

  check(decision: Decision, expectedFloor: number, input?: DecisionInput): void {
    // A refused drain left the servers in the pool (the pool manager changes nothing when it fails).
    if (input?.type === 'pool.failed' && input.operation === 'drain' && input.reason !== 'timeout') {
      for (const id of this.drainServers.get(input.operationId) ?? []) this.intendedOut.delete(id);
    }
    for (const event of decision.events) {
      switch (event.type) {
        case 'deployment.started':
          this.maxBatch = Math.max(...event.data.plan.batches.map((b) => b.servers.length));
          this.floor = event.data.plan.minHealthy;
          expect(this.floor).toBe(expectedFloor);
          break;
        case 'pool.drain.requested':
          expect(event.data.minHealthy).toBe(this.floor);
          this.once(event.data.operationId);
          this.drainServers.set(event.data.operationId, [...event.data.servers]);
          for (const id of event.data.servers) this.intendedOut.add(id);
          break;
        case 'pool.enable.requested':
          this.once(event.data.operationId);
          for (const id of event.data.servers) this.intendedOut.delete(id);
          break;
        case 'verification.requested':
          this.once(event.data.verificationId);
          break;
        case 'verification.bake.requested':
          this.once(event.data.bakeId);
          break;
        case 'deployment.succeeded':
        case 'deployment.rolled_back':
        case 'deployment.aborted':
          this.endings += 1;
          break;
        default:
          break;
      }
    }
    for (const command of decision.commands) {
      // An agent command is sent again (same step id) only as many times as its step records.
      const { stepId } = command.payload;
      const sent = (this.sent.get(stepId) ?? 0) + 1;
      this.sent.set(stepId, sent);
      const step = decision.state.steps.find((st) => st.stepId === stepId);
      expect(sent).toBe(step?.sends ?? 1);
    }
    expect(this.intendedOut.size).toBeLessThanOrEqual(this.maxBatch);
    expect(decision.state.outOfService.length).toBeLessThanOrEqual(decision.state.settings.maxOutOfService);
    expect(this.endings).toBeLessThanOrEqual(1);
    const { status, wakeAt, steps } = decision.state;
    if (!TERMINAL_STATUSES.includes(status) && status !== 'held' && status !== 'paused') {
      expect(wakeAt).not.toBeNull();
      expect(steps.some((s) => s.status === 'issued')).toBe(true);
    }
    expect(new Set(steps.map((s) => s.stepId)).size).toBe(steps.length);
  }

  private readonly sent = new Map<string, number>();

  private once(id: string): void {
    expect(this.issued.has(id)).toBe(false);
    this.issued.add(id);
  }
}

describe('the state machine under any order, duplication and loss of answers and controls', () => {
  it('keeps the floor and the plan, never reuses a step id, and never stalls without a deadline', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const request = deploymentRequest({
          servers: s.servers,
          strategy: {
            batchSize: s.batchSize,
            canary: s.canary,
            minHealthy: s.minHealthy,
            onFailure: s.onFailure,
          },
          migration: s.migration,
          bakeSeconds: s.bakeSeconds,
        });
        const checker = new InvariantChecker();
        const driver = new Driver(started(request));
        const ids = serverIds(s.servers);
        const fresh = (silent: readonly string[] = []) =>
          Object.fromEntries(ids.filter((id) => !silent.includes(id)).map((id) => [id, driver.now]));
        const delivered: DecisionInput[] = [];
        checker.check(driver.last, s.minHealthy);
        const feed = (input: DecisionInput, advanceMs = 10) =>
          checker.check(driver.feed(input, advanceMs), s.minHealthy, input);

        for (const a of s.actions) {
          if (a.kind === 'answer' && driver.outstanding.length > 0) {
            const [answer] = driver.outstanding.splice(a.pick % driver.outstanding.length, 1);
            if (!answer || a.verdict === 'drop') continue;
            const input = a.verdict === 'fail' ? failed(answer) : answer;
            delivered.push(input);
            feed(input);
          } else if (a.kind === 'duplicate' && delivered.length > 0) {
            feed(delivered[a.pick % delivered.length] as DecisionInput);
          } else if (a.kind === 'control') {
            feed(a.control === 'abort' ? { type: 'abort', reason: 'property' } : { type: a.control });
          } else if (a.kind === 'exclude') {
            feed({ type: 'exclude', serverId: `web-${a.server + 1}`, reason: 'property' });
          } else if (a.kind === 'tick') {
            feed({ type: 'tick', lastHeartbeats: fresh(a.silent.map((i) => `web-${i + 1}`)) }, a.advanceMs);
          }
        }

        // Then every participant behaves and someone resumes a pause: the deployment must end or hold.
        for (let i = 0; i < 400; i++) {
          const { status } = driver.state;
          if (TERMINAL_STATUSES.includes(status) || status === 'held') break;
          if (status === 'paused') feed({ type: 'resume' });
          else if (driver.outstanding.length > 0) feed(driver.outstanding.shift() as DecisionInput);
          else
            feed(
              { type: 'tick', lastHeartbeats: fresh() },
              Math.max(1, (driver.state.wakeAt ?? driver.now) - driver.now),
            );
        }
        expect([...TERMINAL_STATUSES, 'held']).toContain(driver.state.status);
      }),
      { numRuns: 300 },
    );
  });
});
