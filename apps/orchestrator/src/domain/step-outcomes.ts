import type { StepRecord } from './deployment-state.types';
import { failRecovery, failRollout, failTerminally, recoverableServers } from './failure-policy';
import type { Transition } from './transition';

export type StepOutcome =
  | { ok: true }
  | {
      ok: false;
      status: 'failed' | 'timed_out';
      reason: string;
      serverId?: string;
      /** An agent step cut short by the agent's own stop or crash (it reported so after its restart). */
      interrupted?: boolean;
    };

/** How many times a rollback cut short by its agent's crash is asked for, in all, before the server is stranded. */
export const MAX_ROLLBACK_TRIES = 3;

function putBack(t: Transition, servers: readonly string[]): void {
  t.s.outOfService = t.s.outOfService.filter((id) => !servers.includes(id));
}

function allSucceeded(
  t: Transition,
  kind: 'deploy' | 'rollback',
  batchIndex: number,
  attempt: number,
  purpose: 'forward' | 'recovery',
): boolean {
  const steps = t.s.steps.filter(
    (s) =>
      s.kind === kind &&
      s.batchIndex === batchIndex &&
      s.attempt === attempt &&
      s.purpose === purpose &&
      s.status !== 'superseded',
  );
  return steps.length > 0 && steps.every((s) => s.status === 'succeeded');
}

/** Records a step's answer (or its timeout) and moves the batch on; false when it was not awaited. */
export function applyStepOutcome(t: Transition, step: StepRecord, outcome: StepOutcome): boolean {
  if (step.status !== 'issued') return false;
  t.finish(step, outcome.ok ? 'succeeded' : outcome.status, outcome.ok ? undefined : outcome.reason);
  if (step.purpose === 'recovery') recoveryOutcome(t, step, outcome);
  else forwardOutcome(t, step, outcome);
  return true;
}

function forwardOutcome(t: Transition, step: StepRecord, outcome: StepOutcome): void {
  const server = step.servers[0];
  if (step.batchIndex === null) {
    if (!outcome.ok) {
      const serverId = step.kind === 'migrate' ? server : outcome.serverId;
      const what =
        step.kind === 'migrate'
          ? 'migration failed (no server was touched)'
          : 'bake window ended without a verdict';
      failTerminally(t, {
        step: step.kind,
        batchIndex: null,
        ...(serverId ? { serverId } : {}),
        reason: `${what}: ${outcome.reason}`,
      });
    }
    return;
  }
  const batch = t.batch(step.batchIndex);
  if (!outcome.ok) {
    if (step.kind === 'drain' && outcome.status === 'failed') {
      // The pool manager leaves nothing half-done: the batch never left the pool.
      putBack(t, step.servers);
      batch.phase = 'pending';
    }
    if (step.kind === 'deploy' && server) t.progress(batch.index, [server], 'failed', outcome.reason);
    const serverId = step.kind === 'deploy' ? server : outcome.serverId;
    failRollout(t, batch, {
      step: step.kind,
      batchIndex: batch.index,
      ...(serverId ? { serverId } : {}),
      reason: outcome.reason,
    });
    return;
  }
  switch (step.kind) {
    case 'drain':
      batch.phase = 'deploying';
      t.progress(batch.index, step.servers, 'drained');
      return;
    case 'deploy':
      t.progress(batch.index, step.servers, 'deployed');
      if (allSucceeded(t, 'deploy', batch.index, batch.attempt, 'forward')) batch.phase = 'verifying';
      return;
    case 'verify':
      batch.phase = 'enabling';
      t.progress(batch.index, step.servers, 'verified');
      return;
    case 'enable':
      batch.phase = 'done';
      putBack(t, step.servers);
      t.progress(batch.index, step.servers, 'online');
      t.emit({
        type: 'deployment.batch.completed',
        data: {
          deploymentId: t.s.deploymentId,
          batchIndex: batch.index,
          servers: [...batch.servers],
          durationMs: Math.max(0, t.now - (batch.startedAt ?? t.now)),
        },
      });
      return;
    default:
      return;
  }
}

function recoveryOutcome(t: Transition, step: StepRecord, outcome: StepOutcome): void {
  if (step.batchIndex === null) return;
  const batch = t.batch(step.batchIndex);
  if (!outcome.ok && step.kind === 'rollback') {
    if (outcome.interrupted === true && rollbackTries(t, step) < MAX_ROLLBACK_TRIES) {
      // The agent died mid-rollback and came back: a rollback is idempotent (to what already runs,
      // it succeeds at once), so it is asked for again rather than leaving the server stranded.
      t.issue('rollback', batch.index, step.servers, 'recovery', step.attempt);
      t.progress(batch.index, step.servers, 'rolling_back', `again: ${outcome.reason}`);
      return;
    }
    strandServer(t, step, outcome.reason);
    return;
  }
  if (!outcome.ok) {
    if (step.kind === 'drain' && outcome.status === 'failed') {
      putBack(t, step.servers);
      batch.phase = 'done';
    }
    const serverId = step.kind === 'rollback' ? step.servers[0] : outcome.serverId;
    failRecovery(t, step.kind, serverId, outcome.reason);
    return;
  }
  switch (step.kind) {
    case 'drain':
      batch.phase = 'rolling_back';
      return;
    case 'rollback':
      rollbacksSettled(t, step);
      return;
    case 'verify':
      batch.phase = 'restoring';
      return;
    case 'enable':
      batch.phase = 'restored';
      putBack(t, step.servers);
      t.progress(batch.index, step.servers, 'online', 'previous version');
      return;
    default:
      return;
  }
}

/** Rollbacks asked of this step's server for this attempt of its batch, this one included. */
function rollbackTries(t: Transition, step: StepRecord): number {
  return t.s.steps.filter(
    (s) =>
      s.kind === 'rollback' &&
      s.purpose === 'recovery' &&
      s.batchIndex === step.batchIndex &&
      s.attempt === step.attempt &&
      s.servers[0] === step.servers[0],
  ).length;
}

/**
 * One server's rollback failed (or got no answer after its re-sends): that server stays out of the
 * pool and is reported, its batch-mates go on — re-verified and put back once their rollbacks ended.
 */
function strandServer(t: Transition, step: StepRecord, reason: string): void {
  const server = step.servers[0];
  if (server === undefined || step.batchIndex === null) return;
  const batch = t.batch(step.batchIndex);
  t.s.stranded = [...new Set([...(t.s.stranded ?? []), server])];
  t.progress(batch.index, [server], 'held', `rollback failed: ${reason}`);
  if (recoverableServers(t.s, batch).length === 0) {
    failRecovery(t, 'rollback', server, reason);
    return;
  }
  rollbacksSettled(t, step);
}

/** Every rollback of the batch has ended: the servers not stranded are checked again. */
function rollbacksSettled(t: Transition, step: StepRecord): void {
  if (step.batchIndex === null) return;
  const batch = t.batch(step.batchIndex);
  const pending = t.s.steps.some(
    (s) =>
      s.kind === 'rollback' &&
      s.batchIndex === batch.index &&
      s.attempt === batch.attempt &&
      s.purpose === 'recovery' &&
      s.status === 'issued',
  );
  if (!pending && batch.phase === 'rolling_back') batch.phase = 'reverifying';
}
