import {
  createTestDatabase,
  createTestVhost,
  waitFor,
  type TestDatabase,
  type TestVhost,
} from '@conveyor/testing';
import { newTestApiToken, seedApiToken, startService, type RunningService } from '@conveyor/service-kit';
import type { SigningKeyPair } from '@conveyor/signing-keys';
import type { DeploymentView } from './http/deployment-view';
import { orchestratorService } from './orchestrator.boot';
import { ScriptedParticipants, type ParticipantScript } from './testing/scripted-participants';
import {
  SERVERS,
  orchestratorTestEnv,
  parsedEnv,
  rolloutRequest,
  signingKeys,
} from './testing/orchestrator-harness';

describe('the orchestrator through real RabbitMQ and PostgreSQL, with scripted participants', () => {
  let vhost: TestVhost;
  let database: TestDatabase;
  let keys: SigningKeyPair;
  let orchestrator: RunningService;
  let participants: ScriptedParticipants;
  const script: ParticipantScript = { silent: new Set(), replyDelayMs: 20 };
  const reader = newTestApiToken('operator@example.com', 'deployer');

  beforeAll(async () => {
    [vhost, database] = await Promise.all([createTestVhost(), createTestDatabase()]);
    keys = signingKeys();
    participants = new ScriptedParticipants(SERVERS, keys.publicKeyPem, script);
    await participants.start(vhost, database.url);
    orchestrator = await startService(
      orchestratorService,
      parsedEnv(orchestratorTestEnv(vhost.urlFor('orchestrator'), database.url, keys.privateKeyPem)),
    );
    await seedApiToken(orchestrator.app, reader);
  });

  afterEach(() => {
    // An operator repairs what a test broke: every agent alive, every server back in the pool.
    script.silent.clear();
    script.failVerification = undefined;
    script.replyDelayMs = 20;
    for (const id of SERVERS) participants.online.add(id);
  });

  afterAll(async () => {
    await orchestrator?.close();
    await participants?.stop();
    await Promise.all([vhost?.delete(), database?.drop()]);
  });

  const ofDeployment = (id: string) =>
    participants.recorded.deploymentEvents.filter((e) => e.data['deploymentId'] === id);
  const ended = (id: string) =>
    ofDeployment(id).find((e) =>
      ['deployment.succeeded', 'deployment.failed', 'deployment.rolled_back', 'deployment.aborted'].includes(
        e.type,
      ),
    );
  const waitForEnd = (id: string, timeoutMs = 30_000) =>
    waitFor(`deployment ${id} to end`, () => ended(id), { timeoutMs });
  async function view(id: string): Promise<DeploymentView> {
    const response = await fetch(`http://127.0.0.1:${orchestrator.port}/deployments/${id}`, {
      headers: { authorization: `Bearer ${reader.secret}` },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as DeploymentView;
  }

  it('lists the agents it hears for discovery, selected by facts, and refuses a selector that is not key=value', async () => {
    const get = (query: string) =>
      fetch(`http://127.0.0.1:${orchestrator.port}/agents${query}`, {
        headers: { authorization: `Bearer ${reader.secret}` },
      });
    const agents = await waitFor('every scripted agent heard', async () => {
      const listed = (await (await get('?facts=service=billing')).json()) as {
        nodeId: string;
        status: string;
      }[];
      return listed.length === 6 ? listed : undefined;
    });
    expect(agents.map((a) => `${a.nodeId}:${a.status}`)).toEqual(
      ['web-1', 'web-2', 'web-3', 'web-4', 'web-5', 'web-6'].map((id) => `${id}:online`),
    );
    expect(await (await get('?facts=service=shop')).json()).toEqual([]);
    const bad = await get('?facts=service');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('each fact must be key=value');
    expect((await fetch(`http://127.0.0.1:${orchestrator.port}/agents`)).status).toBe(401);
  });

  it('rolls 6 servers from v1 to v2 in batches of 2 with a canary of 1, keeping the floor', async () => {
    const request = rolloutRequest('2.0.0');
    await participants.send('deployment.requested', request);
    const end = await waitForEnd(request.deploymentId);

    expect(end.type).toBe('deployment.succeeded');
    const milestonesOf = () =>
      ofDeployment(request.deploymentId)
        .map((e) => e.type)
        .filter((t) => t !== 'deployment.server.progressed');
    // The recorder handles deliveries concurrently, so events emitted together in one transition
    // (started and the first batch.started; the last batch.completed and succeeded) may be recorded in
    // either order (seen in CI both ways): they are compared as a set. The order the batches ran in is
    // the drains' order below, which the participants receive one at a time.
    const milestones = await waitFor('every milestone', () =>
      milestonesOf().length >= 10 ? milestonesOf() : undefined,
    );
    expect([...milestones].sort()).toEqual(
      [
        'deployment.started',
        ...Array.from({ length: 4 }, () => ['deployment.batch.started', 'deployment.batch.completed']).flat(),
        'deployment.succeeded',
      ].sort(),
    );
    const drains = participants.recorded.drains.filter((d) => d.deploymentId === request.deploymentId);
    expect(drains.map((d) => d.servers)).toEqual([
      ['web-1'],
      ['web-2', 'web-3'],
      ['web-4', 'web-5'],
      ['web-6'],
    ]);
    expect(drains.every((d) => d.minHealthy === 4)).toBe(true);
    expect(participants.recorded.floorViolations).toEqual([]);
    expect(participants.recorded.commandRejections).toEqual([]);
    expect([...participants.versions.values()]).toEqual(Array(6).fill('2.0.0'));

    const state = await view(request.deploymentId);
    expect(state.status).toBe('succeeded');
    expect(state.outOfService).toEqual([]);
    expect(state.batches.map((b) => b.phase)).toEqual(['done', 'done', 'done', 'done']);
    expect(state.batches[1]?.servers[0]?.steps.map((s) => `${s.kind}:${s.status}`)).toEqual([
      'drain:succeeded',
      'deploy:succeeded',
      'verify:succeeded',
      'enable:succeeded',
    ]);
    const metrics = await (await fetch(`http://127.0.0.1:${orchestrator.port}/metrics`)).text();
    expect(metrics).toMatch(
      /conveyor_deployments_total\{service="billing",environment="production",outcome="succeeded"\} 1/,
    );
    expect(metrics).toMatch(
      /conveyor_servers_out_of_service\{service="billing",environment="production"\} 0/,
    );
    expect(metrics).toMatch(/conveyor_rollout_step_seconds_count\{step="deploy"\} 6/);
  });

  it('rolls a canary that fails verification back, puts it online, touches no other server, and ends rolled_back with the reason', async () => {
    script.failVerification = (r) =>
      r.expectedVersion === '6.6.6' ? 'GET /health → 500 on web-1' : undefined;
    const request = rolloutRequest('6.6.6');
    await participants.send('deployment.requested', request);
    const end = await waitForEnd(request.deploymentId);

    expect(end).toEqual({
      type: 'deployment.rolled_back',
      data: expect.objectContaining({
        failedStep: 'verify',
        serverId: 'web-1',
        reason: 'verification failed: GET /health → 500 on web-1',
      }),
    });
    const steps = participants.recorded.agentSteps.filter((s) => s.stepId.startsWith(request.deploymentId));
    expect(steps.map((s) => `${s.kind}:${s.nodeId}`)).toEqual(['deploy:web-1', 'rollback:web-1']);
    expect(participants.versions.get('web-1')).toBe('2.0.0');
    expect(participants.online.size).toBe(6);
    expect((await view(request.deploymentId)).batches.map((b) => b.phase)).toEqual([
      'restored',
      'pending',
      'pending',
      'pending',
    ]);
  });

  it('fails the step of an agent that died mid-deploy from its silence, long before the step deadline', async () => {
    const request = rolloutRequest('3.0.0');
    script.silent.add('web-1');
    await participants.send('deployment.requested', request);
    const end = await waitForEnd(request.deploymentId);

    // Its rollback goes to the same dead agent: the canary stays in maintenance, reported.
    expect(end.type).toBe('deployment.failed');
    expect(end.data).toEqual(
      expect.objectContaining({
        step: 'deploy',
        serverId: 'web-1',
        reason: expect.stringMatching(
          /^agent web-1 went silent.*recovery failed at rollback on web-1: agent web-1 went silent/,
        ),
      }),
    );
    const state = await view(request.deploymentId);
    const deploy = state.batches[0]?.servers[0]?.steps.find((s) => s.kind === 'deploy');
    expect(deploy?.status).toBe('timed_out');
    expect(Date.parse(deploy?.finishedAt ?? '')).toBeLessThan(Date.parse(deploy?.deadlineAt ?? ''));
    expect(state.outOfService).toEqual(['web-1']);
    expect(
      participants.recorded.agentSteps
        .filter((s) => s.stepId.startsWith(request.deploymentId))
        .map((s) => s.nodeId),
    ).toEqual(['web-1', 'web-1']);
  });

  it('refuses a second deployment of the same service and environment while one runs; an abort mid-rollout puts every server back online', async () => {
    script.replyDelayMs = 150;
    const versionsBefore = new Map(participants.versions);
    const first = rolloutRequest('4.0.0');
    const second = rolloutRequest('4.0.1');
    await participants.send('deployment.requested', first);
    await waitFor('the first to start', () =>
      ofDeployment(first.deploymentId).some((e) => e.type === 'deployment.started'),
    );
    await participants.send('deployment.requested', second);
    const rejected = await waitFor('the rejection', () =>
      ofDeployment(second.deploymentId).find((e) => e.type === 'deployment.rejected'),
    );
    expect(rejected.data).toEqual(
      expect.objectContaining({
        reason: 'deployment_in_progress',
        detail: expect.stringContaining(first.deploymentId),
      }),
    );

    await participants.send('deployment.abort.requested', {
      deploymentId: first.deploymentId,
      reason: 'wrong build',
    });
    const end = await waitForEnd(first.deploymentId);
    expect(end).toEqual({
      type: 'deployment.aborted',
      data: expect.objectContaining({ reason: 'wrong build' }),
    });
    expect(participants.online.size).toBe(6);
    const state = await view(first.deploymentId);
    expect(state.outOfService).toEqual([]);
    expect(state.batches.some((b) => b.phase === 'pending')).toBe(true);
    for (const batch of state.batches) {
      for (const server of batch.servers) {
        expect(participants.versions.get(server.id)).toBe(
          batch.phase === 'done' ? '4.0.0' : versionsBefore.get(server.id),
        );
      }
    }
  });

  it('pauses at the next batch boundary with every server online, excludes a host of a batch not started, resumes and completes', async () => {
    const request = rolloutRequest('5.0.0');
    await participants.send('deployment.requested', request);
    await waitFor('the start', () =>
      ofDeployment(request.deploymentId).some((e) => e.type === 'deployment.started'),
    );
    await participants.send('deployment.pause.requested', { deploymentId: request.deploymentId });
    await waitFor('the pause', () =>
      ofDeployment(request.deploymentId).some((e) => e.type === 'deployment.paused'),
    );
    const asked = participants.recorded.agentSteps.length + participants.recorded.drains.length;
    await participants.send('deployment.host.exclude.requested', {
      deploymentId: request.deploymentId,
      serverId: 'web-6',
      reason: 'disk failing',
    });
    await waitFor('the exclusion', () =>
      ofDeployment(request.deploymentId).some(
        (e) => e.type === 'deployment.server.progressed' && e.data['step'] === 'excluded',
      ),
    );
    expect((await view(request.deploymentId)).status).toBe('paused');
    expect(participants.recorded.agentSteps.length + participants.recorded.drains.length).toBe(asked);
    // Paused between batches: nothing is held out of the pool while nobody moves the rollout on.
    expect(participants.online.size).toBe(6);

    await participants.send('deployment.resume.requested', { deploymentId: request.deploymentId });
    expect((await waitForEnd(request.deploymentId)).type).toBe('deployment.succeeded');
    expect(
      participants.recorded.drains
        .filter((d) => d.deploymentId === request.deploymentId)
        .flatMap((d) => d.servers),
    ).not.toContain('web-6');
    expect(participants.versions.get('web-6')).not.toBe('5.0.0');
    expect(participants.versions.get('web-5')).toBe('5.0.0');
  });

  it('holds a batch whose verification failed (onFailure: hold) and a retry completes the rollout', async () => {
    let failures = 0;
    script.failVerification = (r) =>
      r.batchIndex === 1 && failures++ === 0 ? 'smoke suite checkout failed' : undefined;
    const request = rolloutRequest('5.1.0', { onFailure: 'hold' });
    await participants.send('deployment.requested', request);
    const failed = await waitFor('the hold', () =>
      ofDeployment(request.deploymentId).find((e) => e.type === 'deployment.failed'),
    );
    expect(failed.data).toEqual(
      expect.objectContaining({ step: 'verify', reason: expect.stringContaining('held for investigation') }),
    );
    const held = await view(request.deploymentId);
    expect(held.status).toBe('held');
    expect(held.outOfService).toEqual(['web-2', 'web-3']);

    await participants.send('deployment.retry.requested', { deploymentId: request.deploymentId });
    await waitFor(
      'the end',
      () =>
        ofDeployment(request.deploymentId).find(
          (e) => e.type === 'deployment.succeeded' || e.type === 'deployment.rolled_back',
        ),
      { timeoutMs: 30_000 },
    );
    expect(ofDeployment(request.deploymentId).map((e) => e.type)).toContain('deployment.succeeded');
    expect([...participants.versions.entries()].filter(([, v]) => v === '5.1.0').map(([id]) => id)).toEqual(
      SERVERS,
    );
  });
});
