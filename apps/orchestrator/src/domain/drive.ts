import type { BatchState, StepRecord } from './deployment-state.types';
import { TERMINAL_STATUSES } from './deployment-state.types';
import { finishAborted, finishRecovery, recoverableServers, startAbort, succeed } from './failure-policy';
import type { Transition } from './transition';

/** Servers whose latest forward deploy may have switched them (anything but a reported failure). */
export function rollbackTargets(t: Transition, batch: BatchState): string[] {
  return batch.servers.filter((server) => {
    const latest = latestDeploy(t.s.steps, batch.index, server);
    return latest !== undefined && latest.status !== 'failed';
  });
}

function latestDeploy(
  steps: readonly StepRecord[],
  batchIndex: number,
  server: string,
): StepRecord | undefined {
  return steps
    .filter((s) => s.kind === 'deploy' && s.batchIndex === batchIndex && s.servers[0] === server)
    .at(-1);
}

function wasDeployed(t: Transition, batch: BatchState): boolean {
  return t.s.steps.some((s) => s.kind === 'deploy' && s.batchIndex === batch.index);
}

/** Drains a batch: from now on it counts as out of service until an enable succeeds. */
function issueDrain(t: Transition, batch: BatchState, purpose: 'forward' | 'recovery'): void {
  for (const id of batch.servers) if (!t.s.outOfService.includes(id)) t.s.outOfService.push(id);
  t.issue('drain', batch.index, batch.servers, purpose, batch.attempt);
  t.progress(batch.index, batch.servers, 'draining');
}

function startBatch(t: Transition, batch: BatchState): void {
  batch.phase = 'draining';
  batch.startedAt = t.now;
  t.emit({
    type: 'deployment.batch.started',
    data: {
      deploymentId: t.s.deploymentId,
      batchIndex: batch.index,
      kind: batch.kind === 'canary' ? 'canary' : 'regular',
      servers: [...batch.servers],
    },
  });
}

/**
 * Moves the deployment on as far as it can without an answer: issues the step its current phase
 * needs, or applies an abort that waited for the step in flight to end, or a pause that waited for
 * the batch under way to end. Called after
 * every input; returns when a step is in flight or a person must act.
 */
export function drive(t: Transition): void {
  for (let guard = 0; guard < 1000; guard++) {
    if (!driveOnce(t)) return;
  }
  throw new Error(`deployment ${t.s.deploymentId} did not settle`);
}

/** One move; true when there may be another. */
function driveOnce(t: Transition): boolean {
  const { s } = t;
  if (TERMINAL_STATUSES.includes(s.status) || s.status === 'held') return false;
  if (s.abortRequested && (s.status === 'migrating' || s.status === 'baking')) {
    // A migration touched no server; a bake window watches servers that are all online.
    finishAborted(t);
    return false;
  }
  if (t.inFlight().length > 0) return false;
  if (s.abortRequested && (s.status === 'running' || s.status === 'paused')) {
    startAbort(t);
    return true;
  }
  // A pause waits for the batch under way to end (its servers back online, or rolled back): a paused
  // rollout never holds servers out of the pool while nobody is moving it on.
  if (s.pauseRequested && (s.status === 'migrating' || (s.status === 'running' && !batchUnderway(t)))) {
    s.status = 'paused';
    s.pauseRequested = false;
    t.emit({ type: 'deployment.paused', data: { deploymentId: s.deploymentId } });
    return false;
  }
  switch (s.status) {
    case 'paused':
      return false;
    case 'migrating':
      if (s.steps.some((step) => step.kind === 'migrate' && step.status === 'succeeded')) {
        s.status = 'running';
        return true;
      }
      t.issue('migrate', null, [s.settings.migration?.runner ?? ''], 'forward', 1);
      return false;
    case 'running':
      return driveForward(t);
    case 'recovering':
      return driveRecovery(t);
    case 'baking':
      if (s.steps.some((step) => step.kind === 'bake' && step.status === 'succeeded')) {
        succeed(t);
        return false;
      }
      t.issue(
        'bake',
        null,
        s.batches.flatMap((b) => b.servers),
        'forward',
        1,
      );
      return false;
    default:
      return false;
  }
}

/** A batch has started and not ended: some of its servers may be out of the pool. */
function batchUnderway(t: Transition): boolean {
  return t.s.batches.some((b) => b.phase !== 'pending' && b.phase !== 'done');
}

function driveForward(t: Transition): boolean {
  const { s } = t;
  const active = s.batches.find((b) => b.phase !== 'pending' && b.phase !== 'done');
  if (!active) {
    const next = s.batches.find((b) => b.phase === 'pending');
    if (next) {
      startBatch(t, next);
      return true;
    }
    if (s.settings.verification.bakeSeconds > 0) s.status = 'baking';
    else succeed(t);
    return s.status === 'baking';
  }
  switch (active.phase) {
    case 'draining':
      issueDrain(t, active, 'forward');
      return false;
    case 'deploying':
      t.issue('deploy', active.index, active.servers, 'forward', active.attempt);
      t.progress(active.index, active.servers, 'deploying');
      return false;
    case 'verifying':
      t.issue('verify', active.index, active.servers, 'forward', active.attempt);
      t.progress(active.index, active.servers, 'verifying');
      return false;
    case 'enabling':
      t.issue('enable', active.index, active.servers, 'forward', active.attempt);
      t.progress(active.index, active.servers, 'enabling');
      return false;
    default:
      throw new Error(`batch ${active.index} is ${active.phase} while the rollout runs`);
  }
}

function driveRecovery(t: Transition): boolean {
  const { s } = t;
  const index = s.recovery?.queue[0];
  if (index === undefined) {
    finishRecovery(t);
    return false;
  }
  const batch = t.batch(index);
  switch (batch.phase) {
    case 'recovery_draining':
      issueDrain(t, batch, 'recovery');
      return false;
    case 'rolling_back': {
      const targets = rollbackTargets(t, batch);
      if (targets.length === 0) {
        // Nothing switched: a batch never deployed goes straight back; one whose deploys all
        // failed (the old release kept serving) is checked again first.
        batch.phase = wasDeployed(t, batch) ? 'reverifying' : 'restoring';
        return true;
      }
      t.issue('rollback', batch.index, targets, 'recovery', batch.attempt);
      t.progress(batch.index, targets, 'rolling_back');
      return false;
    }
    case 'reverifying': {
      // A server whose rollback failed stays out (reported); its batch-mates are checked and put back.
      const servers = recoverableServers(s, batch);
      t.issue('verify', batch.index, servers, 'recovery', batch.attempt);
      t.progress(batch.index, servers, 'verifying', 'checking the previous version');
      return false;
    }
    case 'restoring': {
      const servers = recoverableServers(s, batch);
      t.issue('enable', batch.index, servers, 'recovery', batch.attempt);
      t.progress(batch.index, servers, 'enabling', 'previous version');
      return false;
    }
    case 'restored':
    case 'pending':
      s.recovery?.queue.shift();
      return true;
    case 'done':
      batch.phase = 'recovery_draining';
      return true;
    default:
      batch.phase = 'rolling_back';
      return true;
  }
}
