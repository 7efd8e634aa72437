import type { Decision, DeploymentState, StepKind, StepRecord } from './deployment-state.types';
import { TERMINAL_STATUSES, WAITING_STATUSES } from './deployment-state.types';
import { applyControl, type ControlInput } from './controls';
import { drive } from './drive';
import { failRollout, failTerminally } from './failure-policy';
import { applyStepOutcome, type StepOutcome } from './step-outcomes';
import { AGENT_STEP_KINDS, Transition } from './transition';

/** What the state machine reacts to: a participant's answer, a control, or the clock. */
export type DecisionInput =
  | { type: 'pool.drained'; operationId: string }
  | { type: 'pool.enabled'; operationId: string }
  | { type: 'pool.failed'; operationId: string; operation: 'drain' | 'enable'; reason: string }
  | { type: 'agent.succeeded'; kind: 'deploy' | 'rollback' | 'migrate'; stepId: string; nodeId: string }
  | {
      type: 'agent.failed';
      kind: 'deploy' | 'rollback' | 'migrate';
      stepId: string;
      nodeId: string;
      reason: string;
      /** The agent stopped (crashed, was killed) while the step ran; it said so after its restart. */
      interrupted?: boolean;
    }
  | { type: 'verification.passed'; verificationId: string }
  | { type: 'verification.failed'; verificationId: string; reason: string; serverId?: string }
  | { type: 'bake.completed'; bakeId: string; outcome: 'healthy' | 'degraded' | 'cancelled'; detail: string }
  | { type: 'health.degraded'; servers: readonly string[]; detail: string }
  /**
   * An agent (re)registered: after a broker restart (its queue, not durable, went with the broker)
   * or its own restart, what it was sent and has not answered may never have reached it.
   */
  | { type: 'agent.returned'; nodeId: string }
  /** An agent's answer to `agent.state.requested`: the release it serves now. */
  | { type: 'agent.state.reported'; requestId: string; nodeId: string; currentVersion: string | null }
  | ControlInput
  /**
   * The clock: steps past their deadline, and agents by the time of their last heartbeat (ms).
   * `listeningSince`: since when this instance has been able to hear heartbeats without a break (its
   * start, or its broker connection's last reconnect; `now` while it is disconnected). Silence is
   * only judged over time it could hear, so heartbeats lost or queued while no orchestrator ran, or
   * while its broker connection was down, are not mistaken for silence: after a reconnect every
   * agent gets a fresh grace period.
   */
  | {
      type: 'tick';
      lastHeartbeats: Readonly<Record<string, number>>;
      listeningSince?: number;
      /**
       * The most recent heartbeat recorded from any other agent of the fleet (absent: there is
       * none). When no agent at all has been heard for the silence limit, the orchestrator is the
       * one not hearing (its database or its consumers are behind), not every agent dead at once:
       * silence is not judged then; step deadlines still are.
       */
      othersHeardAt?: number;
    };

/**
 * The orchestrator's state machine: given a deployment's state, one input and the time, the next
 * state, the events and agent commands to emit (in the same transaction), and the next deadline.
 * Pure: the input state is not modified.
 */
export function decide(state: DeploymentState, input: DecisionInput, now: number): Decision {
  // A deep copy through JSON: the state is plain JSON (it is stored as jsonb), and the copy's
  // objects are plain objects of this realm (signing refuses anything else).
  const t = new Transition(JSON.parse(JSON.stringify(state)) as DeploymentState, now);
  const ignored =
    TERMINAL_STATUSES.includes(state.status) && input.type !== 'tick' && !isControl(input)
      ? `deployment is ${state.status}`
      : apply(t, input);
  drive(t);
  t.s.wakeAt = nextWake(t.s, now);
  return {
    state: t.s,
    events: t.events,
    commands: t.commands,
    finishedSteps: t.finishedSteps,
    ...(ignored ? { ignored } : {}),
  };
}

function isControl(input: DecisionInput): input is ControlInput {
  return ['pause', 'resume', 'abort', 'retry', 'exclude'].includes(input.type);
}

/** Returns why the input changed nothing, or undefined. */
function apply(t: Transition, input: DecisionInput): string | undefined {
  switch (input.type) {
    case 'pool.drained':
      return answer(t, findByRequest(t, input.operationId, 'drain'), { ok: true });
    case 'pool.enabled':
      return answer(t, findByRequest(t, input.operationId, 'enable'), { ok: true });
    case 'pool.failed':
      return answer(t, findByRequest(t, input.operationId, input.operation), {
        ok: false,
        status: 'failed',
        reason: `pool ${input.operation} failed: ${input.reason}`,
      });
    case 'agent.succeeded':
      return answer(t, findAgentStep(t, input.stepId, input.kind, input.nodeId), { ok: true });
    case 'agent.failed':
      return answer(t, findAgentStep(t, input.stepId, input.kind, input.nodeId), {
        ok: false,
        status: 'failed',
        reason: input.reason,
        ...(input.interrupted === true ? { interrupted: true } : {}),
      });
    case 'verification.passed':
      return answer(t, findByRequest(t, input.verificationId, 'verify'), { ok: true });
    case 'verification.failed':
      return answer(t, findByRequest(t, input.verificationId, 'verify'), {
        ok: false,
        status: 'failed',
        reason: `verification failed: ${input.reason}`,
        ...(input.serverId ? { serverId: input.serverId } : {}),
      });
    case 'bake.completed':
      return bakeCompleted(t, input.bakeId, input.outcome, input.detail);
    case 'health.degraded':
      return degraded(t, input.servers, input.detail);
    case 'agent.returned':
      return agentReturned(t, input.nodeId);
    case 'agent.state.reported':
      return stateReported(t, input.requestId, input.nodeId, input.currentVersion);
    case 'tick':
      tick(t, input.lastHeartbeats, input.listeningSince ?? Number.NEGATIVE_INFINITY, input.othersHeardAt);
      return undefined;
    default:
      applyControl(t, input);
      return undefined;
  }
}

function answer(t: Transition, step: StepRecord | undefined, outcome: StepOutcome): string | undefined {
  if (!step) return 'no step of this deployment matches the answer';
  return applyStepOutcome(t, step, outcome) ? undefined : `step ${step.stepId} is already ${step.status}`;
}

function findByRequest(t: Transition, requestId: string, kind: StepKind): StepRecord | undefined {
  return t.s.steps.find((s) => s.requestId === requestId && s.kind === kind);
}

function findAgentStep(
  t: Transition,
  stepId: string,
  kind: StepKind,
  nodeId: string,
): StepRecord | undefined {
  return t.s.steps.find((s) => s.stepId === stepId && s.kind === kind && s.servers[0] === nodeId);
}

function bakeCompleted(
  t: Transition,
  bakeId: string,
  outcome: 'healthy' | 'degraded' | 'cancelled',
  detail: string,
): string | undefined {
  const step = findByRequest(t, bakeId, 'bake');
  if (!step || step.status !== 'issued') return 'no bake window of this deployment is awaited';
  if (outcome === 'healthy') return answer(t, step, { ok: true });
  if (outcome === 'cancelled')
    return answer(t, step, { ok: false, status: 'failed', reason: `bake window cancelled: ${detail}` });
  return degraded(
    t,
    t.s.batches.flatMap((b) => b.servers),
    detail,
  );
}

/** The bake window saw online servers degrade: the failure policy applies to their batches. */
function degraded(t: Transition, servers: readonly string[], detail: string): string | undefined {
  const { s } = t;
  if (s.status !== 'baking') return `health.degraded ignored: the deployment is ${s.status}`;
  const bake = s.steps.find((step) => step.kind === 'bake' && step.status === 'issued');
  if (bake) t.finish(bake, 'failed', detail);
  const failure = {
    step: 'bake' as const,
    batchIndex: null,
    ...(servers[0] ? { serverId: servers[0] } : {}),
    reason: `health degraded after the rollout: ${detail}`,
  };
  if (s.settings.onFailure === 'hold') {
    failTerminally(t, { ...failure, reason: `${failure.reason} (onFailure hold: servers left as they are)` });
    return undefined;
  }
  const affected = s.batches.filter((b) => b.servers.some((id) => servers.includes(id))).map((b) => b.index);
  failRollout(t, null, failure, affected);
  return undefined;
}

/** An agent said what it runs: remembered (it settles a server whose version was unknown). */
function stateReported(
  t: Transition,
  requestId: string,
  nodeId: string,
  currentVersion: string | null,
): string | undefined {
  const step = t.s.steps.find((s) => s.kind === 'inspect' && s.requestId === requestId);
  if (!step || step.servers[0] !== nodeId) return 'no state request of this deployment matches the report';
  if (step.status !== 'issued') return `step ${step.stepId} is already ${step.status}`;
  t.s.reported = { ...t.s.reported, [nodeId]: { currentVersion, at: t.now } };
  applyStepOutcome(t, step, { ok: true });
  return undefined;
}

/**
 * An agent came back: every request it has not answered (a command, or a state request) is sent to
 * it again at once, same step id and deadline — it runs a step once and answers a copy with the
 * recorded result — instead of waiting out the deadline for a command its vanished queue lost.
 */
function agentReturned(t: Transition, nodeId: string): string | undefined {
  const waiting = t
    .inFlight()
    .filter(
      (step) =>
        (AGENT_STEP_KINDS.includes(step.kind) || step.kind === 'inspect') && step.servers[0] === nodeId,
    );
  if (waiting.length === 0) return `no request of this deployment waits on ${nodeId}`;
  for (const step of waiting) t.sendAgain(step);
  return undefined;
}

/** An agent command is sent this many times more when its reply does not come (settings, else 2). */
export const DEFAULT_COMMAND_RESENDS = 2;

/**
 * Deadlines: a step past its deadline, or whose agent went silent, ends without an answer — except
 * an agent command, which is first sent again (same step id) up to `commandResends` times: a reply
 * or a command lost with a broker restart is not taken for a failure.
 */
function tick(
  t: Transition,
  lastHeartbeats: Readonly<Record<string, number>>,
  listeningSince: number,
  othersHeardAt: number | undefined,
): void {
  const { settings } = t.s;
  const fleetSilent = othersHeardAt !== undefined && t.now - othersHeardAt > settings.agentSilenceMs;
  for (const step of t.inFlight()) {
    if (step.status !== 'issued') continue;
    if (t.now >= step.deadlineAt) {
      const resends = settings.commandResends ?? DEFAULT_COMMAND_RESENDS;
      if (AGENT_STEP_KINDS.includes(step.kind) && (step.sends ?? 1) <= resends) {
        t.resend(step);
        continue;
      }
      const server = AGENT_STEP_KINDS.includes(step.kind) ? step.servers[0] : undefined;
      applyStepOutcome(t, step, {
        ok: false,
        status: 'timed_out',
        reason: `${step.kind} got no answer within ${Math.round((step.deadlineAt - step.issuedAt) / 1000)} s${
          (step.sends ?? 1) > 1 ? ` (sent ${step.sends} times)` : ''
        }`,
        ...(server ? { serverId: server } : {}),
      });
      continue;
    }
    if (!AGENT_STEP_KINDS.includes(step.kind) || fleetSilent) continue;
    const node = step.servers[0] ?? '';
    const lastHeard = lastHeartbeats[node] ?? Number.NEGATIVE_INFINITY;
    // Not heard from since we listen again: its agent may still be on its way back (reconnect back-off).
    const reconnectGraceMs = Math.max(settings.agentReconnectGraceMs ?? 0, settings.agentSilenceMs);
    if (lastHeard < listeningSince && t.now - listeningSince <= reconnectGraceMs) continue;
    const heard = Math.max(lastHeard, step.issuedAt, listeningSince);
    if (t.now - heard > settings.agentSilenceMs) {
      const last = lastHeartbeats[node];
      const since =
        last === undefined ? 'never heard from' : `last heartbeat ${Math.round((t.now - last) / 1000)} s ago`;
      applyStepOutcome(t, step, {
        ok: false,
        status: 'timed_out',
        reason: `agent ${node} went silent (${since})`,
        serverId: node,
      });
    }
  }
}

/** The next time the scheduler must look: the earliest deadline, sooner while agents must be watched. */
export function nextWake(s: DeploymentState, now: number): number | null {
  if (TERMINAL_STATUSES.includes(s.status) || WAITING_STATUSES.includes(s.status)) return null;
  const inFlight = s.steps.filter((step) => step.status === 'issued');
  if (inFlight.length === 0) return now;
  return Math.min(
    ...inFlight.map((step) =>
      AGENT_STEP_KINDS.includes(step.kind)
        ? Math.min(step.deadlineAt, now + s.settings.livenessCheckMs)
        : step.deadlineAt,
    ),
  );
}
