import type { EventEnvelope } from '@conveyor/contracts';
import { isTerminal, type BatchView, type DeploymentStatus, type DeploymentView } from './deployment-view';

/** The deployment events the read model is folded from. */
export const DEPLOYMENT_VIEW_EVENTS = [
  'deployment.requested',
  'deployment.rejected',
  'deployment.started',
  'deployment.batch.started',
  'deployment.server.progressed',
  'deployment.batch.completed',
  'deployment.succeeded',
  'deployment.failed',
  'deployment.rolled_back',
  'deployment.aborted',
  'deployment.paused',
  'deployment.resumed',
] as const;
export type DeploymentViewEvent = EventEnvelope<(typeof DEPLOYMENT_VIEW_EVENTS)[number]>;

export function emptyDeploymentView(id: string, time: string): DeploymentView {
  return {
    id,
    service: null,
    environment: null,
    version: null,
    manifestVersion: null,
    artifactSha256: null,
    promotionId: null,
    requestedBy: null,
    approvedBy: [],
    status: 'requested',
    requestedAt: null,
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    plan: null,
    batches: [],
    servers: {},
    outcome: null,
    updatedAt: time,
  };
}

/**
 * Folds one event into the view. Pure. Events may arrive late or twice: a terminal outcome is
 * never replaced by a later progress event, and batches and servers are keyed, so a repeat
 * changes nothing.
 */
export function reduceDeploymentView(
  previous: DeploymentView | null,
  event: DeploymentViewEvent,
): DeploymentView {
  const view = structuredClone(previous ?? emptyDeploymentView(event.data.deploymentId, event.time));
  view.updatedAt = event.time > view.updatedAt ? event.time : view.updatedAt;
  switch (event.type) {
    case 'deployment.requested': {
      const d = event.data;
      Object.assign(view, { service: d.service, environment: d.environment, version: d.version });
      view.manifestVersion = d.manifestVersion;
      view.artifactSha256 = d.artifact.sha256;
      view.promotionId = d.promotionId ?? null;
      view.requestedBy = d.requestedBy;
      view.approvedBy = [...d.approvedBy];
      view.requestedAt = event.time;
      return view;
    }
    case 'deployment.started': {
      const d = event.data;
      Object.assign(view, { service: d.service, environment: d.environment, version: d.version });
      view.startedAt = view.startedAt ?? event.time;
      view.plan = {
        minHealthy: d.plan.minHealthy,
        totalServers: d.plan.totalServers,
        estimatedSeconds: d.plan.estimatedSeconds,
      };
      for (const batch of d.plan.batches) upsertBatch(view, batch.index, batch.kind, batch.servers);
      for (const batch of d.plan.batches) {
        for (const server of batch.servers) {
          view.servers[server] ??= {
            batchIndex: batch.index,
            step: 'pending',
            detail: null,
            updatedAt: event.time,
          };
        }
      }
      return withStatus(view, 'running');
    }
    case 'deployment.batch.started': {
      const batch = upsertBatch(view, event.data.batchIndex, event.data.kind, event.data.servers);
      if (batch.status === 'pending') batch.status = 'running';
      batch.startedAt ??= event.time;
      return withStatus(view, 'running');
    }
    case 'deployment.server.progressed': {
      const d = event.data;
      const current = view.servers[d.serverId];
      if (!current || current.updatedAt <= event.time) {
        view.servers[d.serverId] = {
          batchIndex: d.batchIndex,
          step: d.step,
          detail: d.detail ?? null,
          updatedAt: event.time,
        };
      }
      return view;
    }
    case 'deployment.batch.completed': {
      const batch = upsertBatch(view, event.data.batchIndex, 'regular', event.data.servers);
      batch.status = 'completed';
      batch.completedAt = event.time;
      batch.durationMs = event.data.durationMs;
      return view;
    }
    case 'deployment.paused':
      return view.status === 'running' ? withStatus(view, 'paused') : view;
    case 'deployment.resumed':
      return view.status === 'paused' ? withStatus(view, 'running') : view;
    case 'deployment.succeeded':
      Object.assign(view, {
        service: event.data.service,
        environment: event.data.environment,
        version: event.data.version,
      });
      return finish(view, event.time, event.data.durationMs, {
        status: 'succeeded',
        reason: null,
        step: null,
        serverId: null,
      });
    case 'deployment.failed': {
      const d = event.data;
      Object.assign(view, { service: d.service, environment: d.environment, version: d.version });
      return finish(view, event.time, d.durationMs, {
        status: 'failed',
        reason: d.reason,
        step: d.step,
        serverId: d.serverId ?? null,
      });
    }
    case 'deployment.rolled_back': {
      const d = event.data;
      Object.assign(view, { service: d.service, environment: d.environment, version: d.version });
      return finish(view, event.time, d.durationMs, {
        status: 'rolled_back',
        reason: d.reason,
        step: d.failedStep,
        serverId: d.serverId ?? null,
      });
    }
    case 'deployment.aborted':
      return finish(view, event.time, event.data.durationMs, {
        status: 'aborted',
        reason: event.data.reason,
        step: null,
        serverId: null,
      });
    case 'deployment.rejected': {
      const d = event.data;
      view.service ??= d.service;
      view.environment ??= d.environment;
      return finish(view, event.time, null, {
        status: 'rejected',
        reason: `${d.reason}: ${d.detail}`,
        step: null,
        serverId: null,
      });
    }
  }
}

function withStatus(view: DeploymentView, status: DeploymentStatus): DeploymentView {
  if (!isTerminal(view.status)) view.status = status;
  return view;
}

function finish(
  view: DeploymentView,
  time: string,
  durationMs: number | null,
  outcome: NonNullable<DeploymentView['outcome']>,
): DeploymentView {
  if (isTerminal(view.status)) return view;
  view.status = outcome.status;
  view.outcome = outcome;
  view.finishedAt = time;
  view.durationMs = durationMs;
  return view;
}

function upsertBatch(
  view: DeploymentView,
  index: number,
  kind: BatchView['kind'],
  servers: string[],
): BatchView {
  let batch = view.batches.find((b) => b.index === index);
  if (!batch) {
    batch = {
      index,
      kind,
      servers: [...servers],
      status: 'pending',
      startedAt: null,
      completedAt: null,
      durationMs: null,
    };
    view.batches.push(batch);
    view.batches.sort((a, b) => a.index - b.index);
  }
  return batch;
}
