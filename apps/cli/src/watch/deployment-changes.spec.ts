import { at, DEPLOYMENT_ID, rollout, server } from '../testing/deployment-fixtures';
import { describeChanges } from './deployment-changes';

describe('the plain view of a deployment: a line per change, for CI logs and pipes', () => {
  it('starts with a headline and everything that happened so far, each line stamped with its time', () => {
    expect(describeChanges(null, rollout())).toEqual([
      `10:00:00Z deployment ${DEPLOYMENT_ID}: shop 1.4.2 → prod (manifest v3), requested by carol, approved by alice and bob`,
      '10:00:01Z rollout started: 4 servers in 3 batches, min healthy 3, estimated 10m00s',
      '10:00:01Z batch 1/3 (canary) started: web-1',
      '10:02:00Z web-1: online',
      '10:02:00Z batch 1/3 (canary) completed in 1m59s',
      '10:02:01Z batch 2/3 started: web-2 and web-3',
      '10:02:05Z web-2: draining',
      '10:02:20Z web-3: verifying — smoke checkout: 12/14 passed',
    ]);
  });

  it('prints nothing when nothing changed between two polls', () => {
    expect(describeChanges(rollout(), rollout({ updatedAt: at(150) }))).toEqual([]);
  });

  it('says how long a drain took, new test results, a batch finishing and the next one starting', () => {
    const before = rollout();
    const after = rollout({
      batches: before.batches.map((b) =>
        b.index === 1
          ? { ...b, status: 'completed', completedAt: at(200), durationMs: 79_000 }
          : b.index === 2
            ? { ...b, status: 'running', startedAt: at(201) }
            : b,
      ),
      servers: {
        ...before.servers,
        'web-2': server(1, 'drained', 137),
        'web-3': server(1, 'verifying', 150, 'smoke checkout: 14/14 passed'),
        'web-4': server(2, 'draining', 201),
      },
    });
    expect(describeChanges(before, after)).toEqual([
      '10:02:17Z web-2: drained (drain took 12s)',
      '10:02:30Z web-3: verifying — smoke checkout: 14/14 passed',
      '10:03:20Z batch 2/3 completed in 1m19s',
      '10:03:21Z batch 3/3 started: web-4',
      '10:03:21Z web-4: draining',
    ]);
  });

  it('reports a pause, and the outcome with where and why it failed', () => {
    expect(describeChanges(rollout(), rollout({ status: 'paused', updatedAt: at(160) }))).toEqual([
      `10:02:40Z paused (resume: conveyor deployments resume ${DEPLOYMENT_ID})`,
    ]);
    const failed = rollout({
      status: 'failed',
      finishedAt: at(300),
      durationMs: 299_000,
      outcome: {
        status: 'failed',
        reason: 'agent refused the command: signature expired',
        step: 'deploy',
        serverId: 'web-2',
      },
    });
    expect(describeChanges(rollout(), failed)).toEqual([
      '10:05:00Z deployment failed in 4m59s at deploy on web-2: agent refused the command: signature expired',
    ]);
  });
});
