import type { BatchPhase, DeploymentState, StepKind, StepStatus } from '../domain/deployment-state.types';

export interface ServerStepView {
  stepId: string;
  kind: StepKind;
  purpose: 'forward' | 'recovery';
  attempt: number;
  status: StepStatus;
  issuedAt: string;
  deadlineAt: string;
  finishedAt: string | null;
  detail: string | null;
}

export interface DeploymentView {
  deploymentId: string;
  service: string;
  environment: string;
  version: string;
  status: DeploymentState['status'];
  startedAt: string;
  finishedAt: string | null;
  nextDeadline: string | null;
  minHealthy: number;
  onFailure: string;
  pauseRequested: boolean;
  outOfService: string[];
  excluded: string[];
  failure: DeploymentState['failure'] | null;
  batches: {
    index: number;
    kind: string;
    phase: BatchPhase;
    attempt: number;
    servers: { id: string; steps: ServerStepView[] }[];
  }[];
}

const iso = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

/** The read-only view of a deployment: batches, and for each server every step that touched it. */
export function deploymentView(s: DeploymentState): DeploymentView {
  return {
    deploymentId: s.deploymentId,
    service: s.service,
    environment: s.environment,
    version: s.version,
    status: s.status,
    startedAt: new Date(s.startedAt).toISOString(),
    finishedAt: iso(s.finishedAt),
    nextDeadline: iso(s.wakeAt),
    minHealthy: s.settings.minHealthy,
    onFailure: s.settings.onFailure,
    pauseRequested: s.pauseRequested,
    outOfService: [...s.outOfService],
    excluded: [...s.excluded],
    failure: s.failure ?? null,
    batches: s.batches.map((batch) => ({
      index: batch.index,
      kind: batch.kind,
      phase: batch.phase,
      attempt: batch.attempt,
      servers: batch.servers.map((id) => ({
        id,
        steps: s.steps
          .filter((step) => step.batchIndex === batch.index && step.servers.includes(id))
          .map((step) => ({
            stepId: step.stepId,
            kind: step.kind,
            purpose: step.purpose,
            attempt: step.attempt,
            status: step.status,
            issuedAt: new Date(step.issuedAt).toISOString(),
            deadlineAt: new Date(step.deadlineAt).toISOString(),
            finishedAt: iso(step.finishedAt),
            detail: step.detail ?? null,
          })),
      })),
    })),
  };
}
