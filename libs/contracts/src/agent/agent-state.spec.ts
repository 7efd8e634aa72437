import { agentHeartbeatEvent } from './heartbeat.event';
import { agentRegisteredEvent } from './registered.event';
import { agentRollbackSucceededEvent } from './rollback-succeeded.event';

const heartbeat = {
  nodeId: 'web-1',
  facts: { service: 'billing' },
  currentVersion: '0.9.0',
  sequence: 3,
  intervalMs: 5000,
};
const entry = {
  stepId: 'd1/web-1/deploy',
  deploymentId: '0b8a4a52-2f5c-4c1e-9d51-7c0c1f3b2a10',
  kind: 'deploy',
  outcome: 'failed',
  version: '1.0.0',
  previousVersion: '0.9.0',
  finishedAt: '2026-12-03T10:00:00.000Z',
};

describe('agent state fields (additive, optional)', () => {
  it('a heartbeat of an older agent, without them, is still valid', () => {
    expect(agentHeartbeatEvent.schema.safeParse(heartbeat).success).toBe(true);
  });

  it('carries kept releases and the recent journal entries', () => {
    const parsed = agentHeartbeatEvent.schema.parse({
      ...heartbeat,
      keptReleases: ['0.9.0', '1.0.0'],
      recentSteps: [entry],
    });
    expect(parsed.recentSteps?.[0]).toEqual(entry);
  });

  it('refuses an unknown outcome, naming the field', () => {
    const result = agentRegisteredEvent.schema.safeParse({
      nodeId: 'web-1',
      facts: {},
      agentVersion: '0.1.0',
      currentVersion: null,
      startedAt: '2026-12-03T10:00:00.000Z',
      reconnected: true,
      recentSteps: [{ ...entry, outcome: 'maybe' }],
    });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues[0]?.path)).toBe('["recentSteps",0,"outcome"]');
  });

  it('a rollback that changed nothing says so', () => {
    const parsed = agentRollbackSucceededEvent.schema.parse({
      commandId: '7d3f7a2e-5b0a-4f4e-8d0c-2a4f1e9b6c31',
      deploymentId: entry.deploymentId,
      stepId: 'd1/web-1/rollback',
      nodeId: 'web-1',
      version: '0.9.0',
      durationMs: 12,
      unchanged: true,
      detail: 'release 0.9.0 already serves; nothing needed to change',
    });
    expect(parsed).toMatchObject({ unchanged: true, replayed: false });
  });
});
