import type { DeploymentState } from './deployment-state.types';
import { TERMINAL_STATUSES } from './deployment-state.types';
import { isOutOfPool } from './failure-policy';
import type { Transition } from './transition';

export type ControlInput =
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'abort'; reason: string }
  | { type: 'retry' }
  | { type: 'exclude'; serverId: string; reason: string };

/** Why a control cannot apply now, or undefined when it can. */
function refusal(s: DeploymentState, control: ControlInput): string | undefined {
  if (TERMINAL_STATUSES.includes(s.status)) return `the deployment already ended (${s.status})`;
  switch (control.type) {
    case 'pause':
      if (s.status === 'paused' || s.pauseRequested) return 'the deployment is already paused or pausing';
      if (s.status !== 'running' && s.status !== 'migrating')
        return `a ${s.status} deployment cannot be paused`;
      return undefined;
    case 'resume':
      return s.status === 'paused' || s.pauseRequested
        ? undefined
        : `the deployment is ${s.status}, not paused`;
    case 'abort':
      if (s.abortRequested) return 'an abort is already under way';
      if (s.status === 'recovering') return 'the deployment is already rolling back';
      return undefined;
    case 'retry':
      return s.status === 'held'
        ? undefined
        : `only a held deployment can retry its failed step (it is ${s.status})`;
    case 'exclude': {
      if (!(control.serverId in s.targets)) return `${control.serverId} is not a target of this deployment`;
      if (s.excluded.includes(control.serverId)) return `${control.serverId} is already excluded`;
      const batch = s.batches.find((b) => b.servers.includes(control.serverId));
      if (
        !batch ||
        batch.phase !== 'pending' ||
        (s.status !== 'running' && s.status !== 'paused' && s.status !== 'migrating' && s.status !== 'held')
      ) {
        return `${control.serverId} is in batch ${batch?.index ?? '?'} which has already started; only servers of batches not started can be excluded`;
      }
      if (s.failure?.step === 'drain' && s.failure.batchIndex === batch.index) {
        return `${control.serverId} is in the batch whose drain failed; retry or abort it first`;
      }
      return undefined;
    }
  }
}

/** Applies a control event; a refused one changes nothing and says why in `deployment.control.refused`. */
export function applyControl(t: Transition, control: ControlInput): void {
  const { s } = t;
  const refused = refusal(s, control);
  if (refused !== undefined) {
    t.emit({
      type: 'deployment.control.refused',
      data: { deploymentId: s.deploymentId, control: control.type, reason: refused },
    });
    return;
  }
  switch (control.type) {
    case 'pause':
      s.pauseRequested = true;
      return;
    case 'resume':
      s.pauseRequested = false;
      if (s.status === 'paused') {
        const migrated = s.steps.some((step) => step.kind === 'migrate' && step.status === 'succeeded');
        s.status = s.settings.migration && !migrated ? 'migrating' : 'running';
      }
      t.emit({ type: 'deployment.resumed', data: { deploymentId: s.deploymentId } });
      return;
    case 'abort':
      s.abortRequested = true;
      s.abortReason = control.reason;
      if (s.status === 'held') startHeldAbort(t);
      return;
    case 'retry':
      retryFailedStep(t);
      return;
    case 'exclude': {
      const batch = s.batches.find((b) => b.servers.includes(control.serverId));
      if (!batch) return;
      batch.servers = batch.servers.filter((id) => id !== control.serverId);
      s.excluded.push(control.serverId);
      t.progress(batch.index, [control.serverId], 'excluded', control.reason);
      if (batch.servers.length === 0) s.batches = s.batches.filter((b) => b !== batch);
      return;
    }
  }
}

function startHeldAbort(t: Transition): void {
  const held = t.s.batches.find(isOutOfPool);
  t.s.status = 'recovering';
  t.s.recovery = { cause: 'abort', queue: held ? [held.index] : [] };
}

/** A held batch tries its failed step again with new step ids, then the rollout goes on. */
function retryFailedStep(t: Transition): void {
  const { s } = t;
  const failure = s.failure;
  const batch =
    failure?.batchIndex === null || failure === undefined
      ? undefined
      : s.batches.find((b) => b.index === failure.batchIndex);
  s.failure = undefined;
  s.status = 'running';
  if (batch && failure) {
    batch.attempt += 1;
    const phase = {
      drain: 'draining',
      deploy: 'deploying',
      verify: 'verifying',
      enable: 'enabling',
    } as const;
    const step = failure.step;
    if (step === 'drain' || step === 'deploy' || step === 'verify' || step === 'enable')
      batch.phase = phase[step];
    if (batch.phase === 'pending') batch.phase = 'draining';
  }
  t.emit({ type: 'deployment.resumed', data: { deploymentId: s.deploymentId } });
}
