import type { DeploymentView, ServerStep } from '../http/pipeline-schemas';

export const DEPLOYMENT_ID = '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c';
export const T0 = Date.parse('2025-03-01T10:00:00.000Z');
export const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

/** A prod rollout of shop 1.4.2 over four servers: canary web-1, then web-2 + web-3, then web-4. */
export function rollout(overrides: Partial<DeploymentView> = {}): DeploymentView {
  return {
    id: DEPLOYMENT_ID,
    service: 'shop',
    environment: 'prod',
    version: '1.4.2',
    manifestVersion: 3,
    requestedBy: 'carol',
    approvedBy: ['alice', 'bob'],
    status: 'running',
    requestedAt: at(0),
    startedAt: at(1),
    finishedAt: null,
    durationMs: null,
    plan: { minHealthy: 3, totalServers: 4, estimatedSeconds: 600 },
    batches: [
      {
        index: 0,
        kind: 'canary',
        servers: ['web-1'],
        status: 'completed',
        startedAt: at(1),
        completedAt: at(120),
        durationMs: 119_000,
      },
      {
        index: 1,
        kind: 'regular',
        servers: ['web-2', 'web-3'],
        status: 'running',
        startedAt: at(121),
        completedAt: null,
        durationMs: null,
      },
      {
        index: 2,
        kind: 'regular',
        servers: ['web-4'],
        status: 'pending',
        startedAt: null,
        completedAt: null,
        durationMs: null,
      },
    ],
    servers: {
      'web-1': server(0, 'online', 120),
      'web-2': server(1, 'draining', 125),
      'web-3': server(1, 'verifying', 140, 'smoke checkout: 12/14 passed'),
      'web-4': server(2, 'pending', 1),
    },
    outcome: null,
    updatedAt: at(140),
    ...overrides,
  };
}

export function server(
  batchIndex: number,
  step: ServerStep,
  atSeconds: number,
  detail: string | null = null,
): DeploymentView['servers'][string] {
  return { batchIndex, step, detail, updatedAt: at(atSeconds) };
}
