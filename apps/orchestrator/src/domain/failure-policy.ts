import type { BatchState, DeploymentState, FailureRecord, StepKind } from './deployment-state.types';
import { describeServers, serverVersions } from './server-versions';
import type { Transition } from './transition';

/** A batch's servers whose recovery has not failed (the stranded ones stay out, reported). */
export function recoverableServers(s: DeploymentState, batch: BatchState): string[] {
  return batch.servers.filter((id) => !(s.stranded ?? []).includes(id));
}

/** Is the batch out of the online pool (drained by us, not yet put back)? */
export function isOutOfPool(batch: BatchState): boolean {
  return !['pending', 'done', 'restored'].includes(batch.phase);
}

function supersedeInFlight(t: Transition, batchIndex: number | null): void {
  for (const step of t.inFlight()) {
    if (batchIndex === null || step.batchIndex === batchIndex)
      t.finish(step, 'superseded', 'abandoned after a failure');
  }
}

function durationMs(t: Transition): number {
  return Math.max(0, t.now - t.s.startedAt);
}

/** Ends the deployment; `outOfService` keeps whatever could not be put back. */
function terminate(t: Transition, status: 'succeeded' | 'failed' | 'rolled_back' | 'aborted'): void {
  t.s.status = status;
  t.s.finishedAt = t.now;
  t.s.pauseRequested = false;
  for (const step of t.inFlight()) t.finish(step, 'superseded', `deployment ${status}`);
}

export function emitFailed(t: Transition, failure: FailureRecord, reason = failure.reason): void {
  const { s } = t;
  const servers = serverVersions(s).map((v) => ({
    serverId: v.serverId,
    version: v.version,
    state: v.state,
    inPool: !v.outOfPool,
  }));
  t.emit({
    type: 'deployment.failed',
    data: {
      deploymentId: s.deploymentId,
      service: s.service,
      environment: s.environment,
      version: s.version,
      step: failure.step,
      ...(failure.serverId ? { serverId: failure.serverId } : {}),
      reason: reason.slice(0, 4000),
      durationMs: durationMs(t),
      servers,
    },
  });
}

export function succeed(t: Transition): void {
  const { s } = t;
  terminate(t, 'succeeded');
  t.emit({
    type: 'deployment.succeeded',
    data: {
      deploymentId: s.deploymentId,
      service: s.service,
      environment: s.environment,
      version: s.version,
      durationMs: durationMs(t),
    },
  });
}

/** A failure that leaves nothing to restore (migration, bake): the deployment ends failed. */
export function failTerminally(t: Transition, failure: FailureRecord): void {
  t.s.failure = failure;
  terminate(t, 'failed');
  emitFailed(t, failure);
}

/**
 * A forward step failed: stop the rollout. `hold` keeps the batch in maintenance for a person;
 * `rollback` restores the failed batch; `rollback-all` also the batches already done (newest first).
 * An abort already asked for wins over `hold`: its promise is every server online or restored.
 */
export function failRollout(
  t: Transition,
  batch: BatchState | null,
  failure: FailureRecord,
  alsoRecover: number[] = [],
): void {
  const { s } = t;
  s.failure = failure;
  supersedeInFlight(t, batch?.index ?? null);
  const policy = s.abortRequested && s.settings.onFailure === 'hold' ? 'rollback' : s.settings.onFailure;
  if (policy === 'hold' && batch) {
    s.status = 'held';
    if (isOutOfPool(batch)) {
      batch.phase = 'held';
      t.progress(batch.index, batch.servers, 'held', failure.reason);
    }
    emitFailed(t, failure, `${failure.reason} (held for investigation: retry or abort)`);
    return;
  }
  const done = s.batches
    .filter((b) => b.phase === 'done')
    .map((b) => b.index)
    .reverse();
  const queue = [
    ...(batch && isOutOfPool(batch) ? [batch.index] : []),
    ...(policy === 'rollback-all' ? done : done.filter((i) => alsoRecover.includes(i))),
  ];
  s.status = 'recovering';
  s.recovery = { cause: s.abortRequested ? 'abort' : 'failure', queue: [...new Set(queue)] };
}

/** A recovery step failed: stop; servers that could not be restored stay in maintenance. */
export function failRecovery(
  t: Transition,
  step: StepKind,
  serverId: string | undefined,
  reason: string,
): void {
  const { s } = t;
  const original = s.failure;
  const batchIndex = s.recovery?.queue[0] ?? null;
  if (batchIndex !== null) {
    const batch = t.batch(batchIndex);
    const stranded = batch.servers.filter((id) => s.outOfService.includes(id));
    if (stranded.length > 0) {
      batch.phase = 'held';
      t.progress(batch.index, stranded, 'held', `recovery failed: ${reason}`);
    }
  }
  const failure: FailureRecord = original ?? { step, batchIndex, ...(serverId ? { serverId } : {}), reason };
  s.failure = failure;
  terminate(t, 'failed');
  const cause = original ? `${original.reason}; ` : '';
  emitFailed(
    t,
    failure,
    `${cause}recovery failed at ${step}${serverId ? ` on ${serverId}` : ''}: ${reason}${strandedNote(s)}; servers: ${describeServers(serverVersions(s))}`,
  );
}

function strandedNote(s: DeploymentState): string {
  const stranded = s.stranded ?? [];
  return stranded.length > 0 ? `; recovery failed on ${stranded.join(', ')} (left out of the pool)` : '';
}

/**
 * Servers whose version is unknown and that were not asked yet: the deployment asks each agent
 * (`agent.state.requested`) before it states an outcome. True when it asked.
 */
function askUnknown(t: Transition): boolean {
  const { s } = t;
  const asked = new Set(s.steps.filter((step) => step.kind === 'inspect').flatMap((step) => step.servers));
  const unknown = serverVersions(s)
    .filter((v) => v.state === 'unknown' && !asked.has(v.serverId))
    .map((v) => v.serverId);
  if (unknown.length === 0) return false;
  t.issue('inspect', null, unknown, 'recovery', 1);
  return true;
}

/** Every batch to recover is back: the deployment ends rolled back (failure) or aborted. */
export function finishRecovery(t: Transition): void {
  const { s } = t;
  const cause = s.recovery?.cause ?? 'failure';
  if (askUnknown(t)) return;
  s.recovery = undefined;
  const failure = s.failure ?? { step: 'deploy', batchIndex: null, reason: 'unknown failure' };
  const stranded = s.stranded ?? [];
  if (stranded.length > 0) {
    // Truthful: a server left out of the pool is no restored state, whatever the cause.
    terminate(t, 'failed');
    emitFailed(
      t,
      failure,
      `${failure.reason}${strandedNote(s)}; servers: ${describeServers(serverVersions(s))}`,
    );
    return;
  }
  if (cause === 'abort') {
    finishAborted(t);
    return;
  }
  const versions = serverVersions(s);
  const notBack = versions.filter((v) => v.state !== 'previous');
  if (notBack.length > 0) {
    // `rolled_back` promises no server serves the new version: batches done (the canary) included.
    terminate(t, 'failed');
    emitFailed(
      t,
      failure,
      `${failure.reason}; not rolled back: ${describeServers(notBack)} (onFailure ${s.settings.onFailure}); servers: ${describeServers(versions)}`,
    );
    return;
  }
  terminate(t, 'rolled_back');
  t.emit({
    type: 'deployment.rolled_back',
    data: {
      deploymentId: s.deploymentId,
      service: s.service,
      environment: s.environment,
      version: s.version,
      failedStep: failure.step,
      ...(failure.serverId ? { serverId: failure.serverId } : {}),
      reason: failure.reason.slice(0, 4000),
      durationMs: durationMs(t),
    },
  });
}

export function finishAborted(t: Transition): void {
  terminate(t, 'aborted');
  t.emit({
    type: 'deployment.aborted',
    data: { deploymentId: t.s.deploymentId, reason: t.s.abortReason ?? 'aborted', durationMs: durationMs(t) },
  });
}

/** Abort with nothing in flight: restore the batch that is out of the pool, if any; done batches stay. */
export function startAbort(t: Transition): void {
  const { s } = t;
  const active = s.batches.find(isOutOfPool);
  if (!active) {
    finishAborted(t);
    return;
  }
  s.status = 'recovering';
  s.recovery = { cause: 'abort', queue: [active.index] };
}
