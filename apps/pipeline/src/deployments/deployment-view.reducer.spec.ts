import { randomUUID } from 'node:crypto';
import type { EventEnvelope, EventInput } from '@conveyor/contracts';
import { reduceDeploymentView, type DeploymentViewEvent } from './deployment-view.reducer';
import type { DeploymentView } from './deployment-view';

const deploymentId = randomUUID();
let clock = Date.parse('2025-03-01T10:00:00Z');
function event<T extends DeploymentViewEvent['type']>(
  type: T,
  data: Omit<EventInput[T], 'deploymentId'>,
): DeploymentViewEvent {
  clock += 1000;
  return {
    specversion: '1.0',
    id: randomUUID(),
    type,
    source: 'orchestrator',
    time: new Date(clock).toISOString(),
    subject: deploymentId,
    correlationid: deploymentId,
    causationid: null,
    actor: 'service:orchestrator',
    datacontenttype: 'application/json',
    data: { deploymentId, ...data },
  } as EventEnvelope<T> as DeploymentViewEvent;
}
const fold = (events: DeploymentViewEvent[], from: DeploymentView | null = null) =>
  events.reduce<DeploymentView | null>(reduceDeploymentView, from)!;
const where = { service: 'shop', environment: 'prod', version: '1.4.2' };
const started = () =>
  event('deployment.started', {
    ...where,
    plan: {
      batches: [
        { index: 0, kind: 'canary', servers: ['web-1'] },
        { index: 1, kind: 'regular', servers: ['web-2', 'web-3'] },
      ],
      minHealthy: 2,
      totalServers: 3,
      estimatedSeconds: 120,
    },
  });

describe('the read model of a deployment', () => {
  it('follows batches and servers to success', () => {
    const view = fold([
      started(),
      event('deployment.batch.started', { batchIndex: 0, kind: 'canary', servers: ['web-1'] }),
      event('deployment.server.progressed', { batchIndex: 0, serverId: 'web-1', step: 'draining' }),
      event('deployment.server.progressed', { batchIndex: 0, serverId: 'web-1', step: 'online' }),
      event('deployment.batch.completed', { batchIndex: 0, servers: ['web-1'], durationMs: 4000 }),
      event('deployment.batch.started', { batchIndex: 1, kind: 'regular', servers: ['web-2', 'web-3'] }),
    ]);
    expect(view.status).toBe('running');
    expect(view.plan).toEqual({ minHealthy: 2, totalServers: 3, estimatedSeconds: 120 });
    expect(view.batches.map((b) => [b.index, b.status, b.durationMs])).toEqual([
      [0, 'completed', 4000],
      [1, 'running', null],
    ]);
    expect(view.servers['web-1']).toMatchObject({ step: 'online', batchIndex: 0 });
    expect(view.servers['web-2']).toMatchObject({ step: 'pending', batchIndex: 1 });

    const done = fold([event('deployment.succeeded', { ...where, durationMs: 9000 })], view);
    expect(done).toMatchObject({ status: 'succeeded', durationMs: 9000, outcome: { status: 'succeeded' } });
    expect(done.finishedAt).not.toBeNull();
  });

  it('pauses and resumes, and records why a rollout failed', () => {
    const paused = fold([started(), event('deployment.paused', {})]);
    expect(paused.status).toBe('paused');
    const resumed = fold([event('deployment.resumed', {})], paused);
    expect(resumed.status).toBe('running');
    const rolledBack = fold(
      [
        event('deployment.rolled_back', {
          ...where,
          failedStep: 'verify',
          serverId: 'web-2',
          reason: 'health check failed',
          durationMs: 5,
        }),
      ],
      resumed,
    );
    expect(rolledBack.outcome).toEqual({
      status: 'rolled_back',
      reason: 'health check failed',
      step: 'verify',
      serverId: 'web-2',
    });
  });

  it('keeps a terminal outcome when late or repeated events arrive', () => {
    const failed = fold([
      started(),
      event('deployment.failed', { ...where, step: 'deploy', reason: 'agent timed out', durationMs: 7 }),
    ]);
    const after = fold(
      [
        event('deployment.resumed', {}),
        event('deployment.batch.started', { batchIndex: 1, kind: 'regular', servers: ['web-2'] }),
        event('deployment.succeeded', { ...where, durationMs: 1 }),
      ],
      failed,
    );
    expect(after.status).toBe('failed');
    expect(after.outcome?.reason).toBe('agent timed out');
  });

  it('records the request: manifest version, artifact sha256, requester and approvers', () => {
    const view = fold([
      event('deployment.requested', {
        ...where,
        artifact: {
          service: 'shop',
          version: '1.4.2',
          url: 'https://artifacts.example/shop-1.4.2.zip',
          sha256: 'a'.repeat(64),
        },
        manifestVersion: 3,
        environmentSpec: {
          pool: 'web',
          servers: [{ id: 'web-1' }],
          strategy: { batchSize: 1, minHealthy: 0 },
        },
        requestedBy: 'carol',
        approvedBy: ['alice', 'bob'],
        proof: {
          promotionId: '0b8e7f1e-2a4b-4d6c-9f3e-5a7b8c9d0e1f',
          planHash: 'b'.repeat(64),
          artifactSha256: 'a'.repeat(64),
          requestedBy: 'carol',
          policy: {
            environment: 'prod',
            manifestVersion: 3,
            required: 0,
            separationOfDuties: true,
            expiresAfterHours: 24,
            approverRoles: ['approver', 'admin'],
            environmentOrder: ['prod'],
            previousEnvironment: null,
          },
          approvals: [],
        },
      }),
    ]);
    expect(view).toMatchObject({
      status: 'requested',
      manifestVersion: 3,
      artifactSha256: 'a'.repeat(64),
      requestedBy: 'carol',
      approvedBy: ['alice', 'bob'],
      ...where,
    });
  });
});
