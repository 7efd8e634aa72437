import { randomUUID } from 'node:crypto';
import { readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { startFleet, startRelease, type RunningFleet } from '@conveyor/fleet';
import { waitFor } from '@conveyor/testing';
import { AgentHarness, servedVersion } from './testing/agent-harness';

/**
 * The issue-15 scenario, with a real agent process: the demo fleet's servers run 0.9.0, installed
 * before Conveyor; the agent is SIGKILLed in the middle of its first deploy and started again.
 */
describe('agent: killed mid-deploy, restarted, rolled back; the pre-Conveyor release stays', () => {
  let kit: AgentHarness;
  let fleet: RunningFleet;
  const web1 = { nodeIds: ['web-1'] };
  const server = () => fleet.servers[0]!;
  const firstDeployment = randomUUID();
  const releases = async () => (await readdir(server().releasesDir)).filter((name) => !name.startsWith('.'));

  beforeAll(async () => {
    kit = await AgentHarness.create();
    fleet = await startFleet({
      n: 1,
      baseDir: join(kit.dir, 'fleet'),
      amqpUrl: await kit.agentUrls(1),
      trustedKeys: [kit.keys.publicKeyPem],
      heartbeatMs: 500,
    });
    // As the demo does: the agent runs, then 0.9.0 is installed by hand (not through Conveyor).
    const preConveyor = await kit.artifact({ version: '0.9.0', format: 'tar.gz' });
    await startRelease(server(), preConveyor.path);
    expect(await servedVersion(server().port)).toBe('0.9.0');
  }, 120_000);

  afterAll(async () => {
    await fleet?.stop();
    await kit?.close();
  });

  it('SIGKILL mid-deploy: the restarted agent restores 0.9.0 and reports it, with its journal', async () => {
    // Validate takes 20 s: the agent is killed after 1.0.0 was switched to and started.
    const slow = await kit.artifact({
      version: '1.0.0',
      format: 'tar.gz',
      label: 'slow-validate',
      hooks: { validate: { timeoutSeconds: 60, linux: 'sleep 20; exit 0' } },
    });
    await kit.send(
      'agent.deploy.requested',
      kit.sign('deploy', web1, { deploymentId: firstDeployment, stepId: 'crash/deploy', artifact: slow.ref }),
    );
    await kit.waitForEvents(
      'agent.deploy.progressed',
      1,
      (event) => event.stepId === 'crash/deploy' && event.phase === 'hook:start',
    );
    // The start hook returns before the app listens; validate (20 s) is what waits for it.
    await waitFor(
      '1.0.0 serving while its validate hook runs',
      async () => ((await servedVersion(server().port)) === '1.0.0' ? true : undefined),
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    await fleet.agent('web-1').kill();
    const killedAt = Date.now();

    await fleet.agent('web-1').start();
    const [failed] = await kit.waitForEvents(
      'agent.deploy.failed',
      1,
      (event) => event.stepId === 'crash/deploy',
    );
    expect(failed).toMatchObject({
      phase: 'interrupted',
      reason: expect.stringContaining('0.9.0 was restored'),
    });
    // It says what it really runs: 0.9.0, the interrupted step failed, 0.9.0 kept.
    const [registered] = await kit.waitForEvents(
      'agent.registered',
      1,
      (event) => Date.parse(event.startedAt) >= killedAt,
    );
    expect(registered).toMatchObject({
      currentVersion: '0.9.0',
      keptReleases: ['0.9.0'],
      recentSteps: [
        {
          stepId: 'crash/deploy',
          deploymentId: firstDeployment,
          kind: 'deploy',
          outcome: 'failed',
          version: '1.0.0',
          previousVersion: '0.9.0',
        },
      ],
    });
    const [heartbeat] = await kit.waitForEvents(
      'agent.heartbeat',
      1,
      (event) =>
        event.recentSteps?.[0]?.stepId === 'crash/deploy' && event.recentSteps[0].outcome === 'failed',
    );
    expect(heartbeat).toMatchObject({ currentVersion: '0.9.0', keptReleases: ['0.9.0'] });
    expect(await servedVersion(server().port)).toBe('0.9.0');
    expect(await readlink(server().currentLink)).toBe(join('releases', '0.9.0'));
  });

  it('the same step sent again answers with the recorded outcome and runs nothing', async () => {
    const slow = await kit.artifact({
      version: '1.0.0',
      format: 'tar.gz',
      label: 'slow-validate',
      hooks: { validate: { timeoutSeconds: 60, linux: 'sleep 20; exit 0' } },
    });
    const before = kit.events('agent.deploy.failed', (event) => event.stepId === 'crash/deploy').length;
    await kit.send(
      'agent.deploy.requested',
      kit.sign('deploy', web1, { deploymentId: firstDeployment, stepId: 'crash/deploy', artifact: slow.ref }),
    );
    const answers = await kit.waitForEvents(
      'agent.deploy.failed',
      before + 1,
      (event) => event.stepId === 'crash/deploy',
    );
    expect(answers.at(-1)).toMatchObject({ phase: 'interrupted' });
    expect(kit.events('agent.deploy.started', (event) => event.stepId === 'crash/deploy')).toHaveLength(1);
    expect(await servedVersion(server().port)).toBe('0.9.0');
    expect(await releases()).toEqual(['0.9.0']);
  });

  it('a rollback of that deployment succeeds: 0.9.0 already serves, nothing needed to change', async () => {
    await kit.send(
      'agent.rollback.requested',
      kit.sign('rollback', web1, { deploymentId: firstDeployment, stepId: 'crash/rollback' }),
    );
    const [done] = await kit.waitForEvents(
      'agent.rollback.succeeded',
      1,
      (event) => event.stepId === 'crash/rollback',
    );
    expect(done).toMatchObject({
      version: '0.9.0',
      unchanged: true,
      detail: expect.stringContaining('nothing needed to change'),
    });
    expect(kit.events('agent.rollback.failed', (event) => event.stepId === 'crash/rollback')).toEqual([]);
    expect(await servedVersion(server().port)).toBe('0.9.0');
  });

  it('0.9.0 stays a rollback target after the first and second deploys, and a rollback to it serves it', async () => {
    const first = randomUUID();
    const second = randomUUID();
    const v110 = await kit.artifact({ version: '1.1.0', format: 'tar.gz' });
    await kit.send(
      'agent.deploy.requested',
      kit.sign('deploy', web1, { deploymentId: first, stepId: 'first/deploy', artifact: v110.ref }),
    );
    await kit.waitForEvents('agent.deploy.succeeded', 1, (event) => event.stepId === 'first/deploy');
    expect(await releases()).toEqual(['0.9.0', '1.1.0']);

    const v200 = await kit.artifact({ version: '2.0.0', format: 'zip' });
    await kit.send(
      'agent.deploy.requested',
      kit.sign('deploy', web1, { deploymentId: second, stepId: 'second/deploy', artifact: v200.ref }),
    );
    await kit.waitForEvents('agent.deploy.succeeded', 1, (event) => event.stepId === 'second/deploy');
    expect(await releases()).toEqual(['0.9.0', '1.1.0', '2.0.0']);
    expect(await servedVersion(server().port)).toBe('2.0.0');

    await kit.send(
      'agent.rollback.requested',
      kit.sign('rollback', web1, { deploymentId: second, stepId: 'second/rollback', toVersion: '0.9.0' }),
    );
    const [back] = await kit.waitForEvents(
      'agent.rollback.succeeded',
      1,
      (event) => event.stepId === 'second/rollback',
    );
    expect(back.version).toBe('0.9.0');
    expect(back.unchanged).toBeUndefined();
    expect(await servedVersion(server().port)).toBe('0.9.0');
    // The heartbeats say so too.
    await waitFor(
      'a heartbeat reporting 0.9.0 after the rollback',
      () =>
        kit
          .events('agent.heartbeat', (event) => event.recentSteps?.[0]?.stepId === 'second/rollback')
          .find((event) => event.currentVersion === '0.9.0'),
      { timeoutMs: 10_000, intervalMs: 100 },
    );
  });

  it('asked by the orchestrator, the agent reports what it serves, what it replaced and its journal; others stay quiet', async () => {
    const requestId = randomUUID();
    await kit.send('agent.state.requested', { nodeId: 'web-7', requestId: randomUUID() });
    await kit.send('agent.state.requested', { nodeId: 'web-1', requestId });
    const [report] = await kit.waitForEvents(
      'agent.state.reported',
      1,
      (event) => event.requestId === requestId,
    );
    expect(report).toMatchObject({ nodeId: 'web-1', currentVersion: '0.9.0', previousVersion: '2.0.0' });
    // Newest last: the rollback that put 0.9.0 back ends the journal.
    expect(report.recentSteps.at(-1)).toEqual({
      stepId: 'second/rollback',
      kind: 'rollback',
      outcome: 'succeeded',
    });
    expect(report.recentSteps).toContainEqual({ stepId: 'crash/deploy', kind: 'deploy', outcome: 'failed' });
    expect(kit.events('agent.state.reported')).toHaveLength(1);
  });
});
