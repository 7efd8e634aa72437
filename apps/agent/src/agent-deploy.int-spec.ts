import { randomUUID } from 'node:crypto';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { startFleet, type RunningFleet } from '@conveyor/fleet';
import { AgentHarness, servedVersion } from './testing/agent-harness';

const FACTS = { service: 'sample-app', environment: 'test', role: 'web' };

describe('agent: signed deploys on a local fleet of three', () => {
  let kit: AgentHarness;
  let fleet: RunningFleet;
  const deploymentId = randomUUID();
  const version = servedVersion;

  beforeAll(async () => {
    kit = await AgentHarness.create();
    fleet = await startFleet({
      n: 3,
      baseDir: join(kit.dir, 'fleet'),
      amqpUrl: await kit.agentUrls(3),
      trustedKeys: [kit.keys.publicKeyPem],
      facts: FACTS,
      heartbeatMs: 500,
    });
  }, 120_000);

  afterAll(async () => {
    await fleet?.stop();
    await kit?.close();
  });

  it('each agent announces itself and keeps sending heartbeats with its facts', async () => {
    const registered = await kit.waitForEvents('agent.registered', 3);
    expect(registered.map((event) => event.nodeId).sort()).toEqual(['web-1', 'web-2', 'web-3']);
    expect(registered[0]!.facts).toMatchObject({ ...FACTS, os: 'linux' });
    const beats = await kit.waitForEvents(
      'agent.heartbeat',
      2,
      (beat) => beat.nodeId === 'web-2' && beat.sequence >= 1,
    );
    expect(beats[0]).toMatchObject({ nodeId: 'web-2', facts: FACTS, intervalMs: 500, currentVersion: null });
  });

  it('deploys v1 then v2 on all three: each serves the new version and keeps both releases', async () => {
    const v1 = await kit.artifact({ version: '1.0.0', format: 'tar.gz' });
    const v2 = await kit.artifact({ version: '2.0.0', format: 'zip' });
    await kit.send(
      'agent.deploy.requested',
      kit.sign(
        'deploy',
        { facts: { service: 'sample-app' } },
        { deploymentId, stepId: 'v1', artifact: v1.ref },
      ),
    );
    const done1 = await kit.waitForEvents('agent.deploy.succeeded', 3, (event) => event.stepId === 'v1');
    expect(done1.map((event) => event.nodeId).sort()).toEqual(['web-1', 'web-2', 'web-3']);
    for (const server of fleet.servers) expect(await version(server.port)).toBe('1.0.0');

    await kit.send(
      'agent.deploy.requested',
      kit.sign(
        'deploy',
        { facts: { service: 'sample-app' } },
        { deploymentId, stepId: 'v2', artifact: v2.ref },
      ),
    );
    await kit.waitForEvents('agent.deploy.succeeded', 3, (event) => event.stepId === 'v2');
    for (const server of fleet.servers) {
      expect(await version(server.port)).toBe('2.0.0');
      expect((await readdir(server.releasesDir)).sort()).toEqual(['1.0.0', '2.0.0']);
      expect(await readlink(server.currentLink)).toBe(join('releases', '2.0.0'));
    }
    const progress = kit
      .events('agent.deploy.progressed', (event) => event.stepId === 'v2' && event.nodeId === 'web-1')
      .map((event) => event.phase);
    expect(progress).toEqual([
      'download',
      'unpack',
      'hook:stop',
      'hook:before-install',
      'switch',
      'hook:after-install',
      'hook:start',
      'hook:validate',
    ]);
  });

  it('a redelivered deploy command answers with the recorded result and runs no hook again', async () => {
    const web1 = fleet.servers[0]!;
    const pidBefore = await readFile(web1.pidFile, 'utf8');
    const v2 = await kit.artifact({ version: '2.0.0', format: 'zip' });
    const requestsBefore = kit.artifactServer.requests().length;
    // The orchestrator sends the step again (same stepId, a new command): recorded result, replayed.
    await kit.send(
      'agent.deploy.requested',
      kit.sign('deploy', { nodeIds: ['web-1'] }, { deploymentId, stepId: 'v2', artifact: v2.ref }),
    );
    const again = await kit.waitForEvents(
      'agent.deploy.succeeded',
      1,
      (event) => event.stepId === 'v2' && event.replayed,
    );
    expect(again[0]).toMatchObject({ nodeId: 'web-1', version: '2.0.0' });
    expect(await readFile(web1.pidFile, 'utf8')).toBe(pidBefore);
    expect(kit.artifactServer.requests().length).toBe(requestsBefore);
    expect(
      kit.events('agent.deploy.started', (event) => event.stepId === 'v2' && event.nodeId === 'web-1'),
    ).toHaveLength(1);
  });

  it('rolls back to v1 without downloading anything', async () => {
    const requestsBefore = kit.artifactServer.requests().length;
    await kit.send(
      'agent.rollback.requested',
      kit.sign('rollback', { facts: { service: 'sample-app' } }, { deploymentId, stepId: 'rollback-1' }),
    );
    const done = await kit.waitForEvents(
      'agent.rollback.succeeded',
      3,
      (event) => event.stepId === 'rollback-1',
    );
    expect(done.every((event) => event.version === '1.0.0')).toBe(true);
    for (const server of fleet.servers) {
      expect(await version(server.port)).toBe('1.0.0');
      expect(await readlink(server.currentLink)).toBe(join('releases', '1.0.0'));
    }
    expect(kit.artifactServer.requests().length).toBe(requestsBefore);
  });

  it('answers a discovery request from every matching agent, with its current version', async () => {
    const requestId = randomUUID();
    await kit.send(
      'agent.discovery.requested',
      kit.sign('discovery', { facts: { role: 'web' } }, { requestId }),
    );
    const replies = await kit.waitForEvents(
      'agent.discovery.replied',
      3,
      (reply) => reply.requestId === requestId,
    );
    expect(replies.map((reply) => [reply.nodeId, reply.currentVersion]).sort()).toEqual([
      ['web-1', '1.0.0'],
      ['web-2', '1.0.0'],
      ['web-3', '1.0.0'],
    ]);
    expect(replies.find((reply) => reply.nodeId === 'web-2')!.facts.address).toBe(
      `127.0.0.1:${fleet.servers[1]!.port}`,
    );
  });

  it('runs a migration hook once, on the designated node only', async () => {
    const hook = {
      timeoutSeconds: 10,
      linux: 'echo "migrated to $CONVEYOR_VERSION" >> "$CONVEYOR_STATE_DIR/migrations.log"',
    };
    const v3 = await kit.artifact({
      version: '3.0.0',
      format: 'tar.gz',
      label: 'migrate',
      hooks: { migrate: hook },
    });
    const command = kit.sign(
      'migrate',
      { nodeIds: ['web-3'] },
      { deploymentId, stepId: 'migrate-3', artifact: v3.ref, timeoutSeconds: 30 },
    );
    await kit.send('agent.migrate.requested', command);
    await kit.waitForEvents('agent.migrate.succeeded', 1, (event) => event.stepId === 'migrate-3');
    await kit.send(
      'agent.migrate.requested',
      kit.sign(
        'migrate',
        { nodeIds: ['web-3'] },
        { deploymentId, stepId: 'migrate-3', artifact: v3.ref, timeoutSeconds: 30 },
      ),
    );
    await kit.waitForEvents(
      'agent.migrate.succeeded',
      1,
      (event) => event.stepId === 'migrate-3' && event.replayed,
    );
    expect(await readFile(join(fleet.servers[2]!.stateDir, 'migrations.log'), 'utf8')).toBe(
      'migrated to 3.0.0\n',
    );
    await expect(readFile(join(fleet.servers[0]!.stateDir, 'migrations.log'), 'utf8')).rejects.toMatchObject({
      code: 'ENOENT',
    });
    expect(await readlink(fleet.servers[2]!.currentLink)).toBe(join('releases', '1.0.0'));
  });
});
