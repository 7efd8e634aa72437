import { randomUUID } from 'node:crypto';
import { readdir, readlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { startFleet, type RunningFleet } from '@conveyor/fleet';
import { AgentHarness, servedVersion } from './testing/agent-harness';

describe('agent: failed deploys leave the previous release serving', () => {
  let kit: AgentHarness;
  let fleet: RunningFleet;
  const deploymentId = randomUUID();
  const web1 = { nodeIds: ['web-1'] };
  const server = () => fleet.servers[0]!;

  const expectV1Serving = async () => {
    expect(await servedVersion(server().port)).toBe('1.0.0');
    expect(await readlink(server().currentLink)).toBe(join('releases', '1.0.0'));
    expect(await readdir(server().releasesDir)).toEqual(['1.0.0']);
  };
  const failure = async (stepId: string) =>
    (await kit.waitForEvents('agent.deploy.failed', 1, (event) => event.stepId === stepId))[0]!;

  beforeAll(async () => {
    kit = await AgentHarness.create();
    fleet = await startFleet({
      n: 1,
      baseDir: join(kit.dir, 'fleet'),
      amqpUrl: await kit.agentUrls(1),
      trustedKeys: [kit.keys.publicKeyPem],
    });
    const v1 = await kit.artifact({ version: '1.0.0', format: 'tar.gz' });
    await kit.send(
      'agent.deploy.requested',
      kit.sign('deploy', web1, { deploymentId, stepId: 'v1', artifact: v1.ref }),
    );
    await kit.waitForEvents('agent.deploy.succeeded', 1, (event) => event.stepId === 'v1');
  }, 120_000);

  afterAll(async () => {
    await fleet?.stop();
    await kit?.close();
  });

  it('a sha256 mismatch fails the step at checksum and changes nothing', async () => {
    const v2 = await kit.artifact({ version: '2.0.0', format: 'zip' });
    await kit.send(
      'agent.deploy.requested',
      kit.sign('deploy', web1, {
        deploymentId,
        stepId: 'bad-sha',
        artifact: { ...v2.ref, sha256: 'ab'.repeat(32) },
      }),
    );
    expect(await failure('bad-sha')).toMatchObject({
      phase: 'checksum',
      reason: expect.stringContaining(`expected ${'ab'.repeat(32)}, got ${v2.sha256}`),
    });
    await expectV1Serving();
  });

  it('a download that breaks halfway fails the step at download', async () => {
    const v2 = await kit.artifact({ version: '2.0.0', format: 'zip' });
    kit.artifactServer.setFault(basename(v2.path), { breakAfter: Math.floor(v2.size / 2) });
    await kit.send(
      'agent.deploy.requested',
      kit.sign('deploy', web1, { deploymentId, stepId: 'broken-download', artifact: v2.ref }),
    );
    expect(await failure('broken-download')).toMatchObject({
      phase: 'download',
      reason: expect.stringContaining('download of'),
    });
    kit.artifactServer.setFault(basename(v2.path), undefined);
    await expectV1Serving();
  });

  it('a hook that fails is reported with its name, exit code and output; v1 is restored', async () => {
    const validate = {
      timeoutSeconds: 10,
      linux: 'echo "checking health"; echo "health check says no" >&2; exit 3',
    };
    const v3 = await kit.artifact({
      version: '3.0.0',
      format: 'tar.gz',
      label: 'bad-validate',
      hooks: { validate },
    });
    await kit.send(
      'agent.deploy.requested',
      kit.sign('deploy', web1, { deploymentId, stepId: 'bad-hook', artifact: v3.ref }),
    );
    const failed = await failure('bad-hook');
    expect(failed).toMatchObject({ phase: 'hook', hook: 'validate', exitCode: 3, version: '3.0.0' });
    expect(failed.outputTail).toContain('health check says no');
    expect(failed.reason).toContain('release 1.0.0 was restored');
    await expectV1Serving();
  });

  it('a hook that hangs past its timeout is killed and reported; v1 is restored', async () => {
    const hang = { timeoutSeconds: 1, linux: 'echo "waiting forever"; sleep 30' };
    const v4 = await kit.artifact({
      version: '4.0.0',
      format: 'tar.gz',
      label: 'hang',
      hooks: { 'before-install': hang },
    });
    const startedAt = Date.now();
    await kit.send(
      'agent.deploy.requested',
      kit.sign('deploy', web1, { deploymentId, stepId: 'hang', artifact: v4.ref }),
    );
    const failed = await failure('hang');
    expect(Date.now() - startedAt).toBeLessThan(25_000);
    expect(failed).toMatchObject({
      phase: 'hook',
      hook: 'before-install',
      reason: expect.stringContaining('timed out after 1s'),
    });
    expect(failed.outputTail).toContain('waiting forever');
    await expectV1Serving();
  });

  it('an agent killed during a download reports the step failed after its restart; v1 keeps serving', async () => {
    const v5 = await kit.artifact({ version: '5.0.0', format: 'tar.gz' });
    kit.artifactServer.setFault(basename(v5.path), { bytesPerSecond: Math.ceil(v5.size / 20) });
    await kit.send(
      'agent.deploy.requested',
      kit.sign('deploy', web1, { deploymentId, stepId: 'killed-download', artifact: v5.ref }),
    );
    await kit.waitForEvents('agent.deploy.started', 1, (event) => event.stepId === 'killed-download');
    await fleet.agent('web-1').kill();
    kit.artifactServer.setFault(basename(v5.path), undefined);
    expect(await servedVersion(server().port)).toBe('1.0.0');
    await fleet.agent('web-1').start();
    const failed = await failure('killed-download');
    expect(failed).toMatchObject({ phase: 'interrupted' });
    // The unacked command comes back after the restart: it gets the recorded failure, not a second run.
    await kit.waitForEvents('agent.deploy.failed', 2, (event) => event.stepId === 'killed-download');
    expect(kit.events('agent.deploy.started', (event) => event.stepId === 'killed-download')).toHaveLength(1);
    await expectV1Serving();
  });

  it('an agent killed after it stopped v1 and switched restores v1 on restart', async () => {
    const slow = { timeoutSeconds: 60, linux: 'sleep 5' };
    const v6 = await kit.artifact({
      version: '6.0.0',
      format: 'tar.gz',
      label: 'slow',
      hooks: { 'after-install': slow },
    });
    await kit.send(
      'agent.deploy.requested',
      kit.sign('deploy', web1, { deploymentId, stepId: 'killed-hook', artifact: v6.ref }),
    );
    await kit.waitForEvents(
      'agent.deploy.progressed',
      1,
      (event) => event.stepId === 'killed-hook' && event.phase === 'switch',
    );
    await fleet.agent('web-1').kill();
    expect(await servedVersion(server().port)).toBe('down');
    await fleet.agent('web-1').start();
    const failed = await failure('killed-hook');
    expect(failed).toMatchObject({
      phase: 'interrupted',
      reason: expect.stringContaining('release 1.0.0 was restored'),
    });
    await expectV1Serving();
  });
});
