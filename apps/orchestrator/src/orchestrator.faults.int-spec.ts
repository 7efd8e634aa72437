import {
  createTestDatabase,
  createTestVhost,
  waitFor,
  type TestDatabase,
  type TestVhost,
} from '@conveyor/testing';
import { startService, type RunningService } from '@conveyor/service-kit';
import type { SigningKeyPair } from '@conveyor/signing-keys';
import { orchestratorService } from './orchestrator.boot';
import { ScriptedParticipants, type ParticipantScript } from './testing/scripted-participants';
import {
  SERVERS,
  orchestratorTestEnv,
  parsedEnv,
  rolloutRequest,
  signingKeys,
} from './testing/orchestrator-harness';

/**
 * Faults around a rollout, against the real orchestrator over RabbitMQ and PostgreSQL with scripted
 * participants: the broker connections dropped mid-step, a lost rollback reply, a failure after
 * the canary completed. Agent silence counts after 6 s; an agent step times out after 5 s (then is
 * re-sent, twice).
 */
describe('the orchestrator under faults (real RabbitMQ and PostgreSQL, scripted participants)', () => {
  let vhost: TestVhost;
  let database: TestDatabase;
  let keys: SigningKeyPair;
  let orchestrator: RunningService;
  let participants: ScriptedParticipants;
  const script: ParticipantScript = { silent: new Set(), replyDelayMs: 20 };

  beforeAll(async () => {
    [vhost, database] = await Promise.all([createTestVhost(), createTestDatabase()]);
    keys = signingKeys();
    participants = new ScriptedParticipants(SERVERS, keys.publicKeyPem, script);
    await participants.start(vhost, database.url);
    orchestrator = await startService(
      orchestratorService,
      parsedEnv(
        orchestratorTestEnv(vhost.urlFor('orchestrator'), database.url, keys.privateKeyPem, {
          ORCHESTRATOR_AGENT_SILENCE_MS: '6000',
        }),
      ),
    );
  });

  afterEach(() => {
    script.failVerification = undefined;
    script.dropAgentReply = undefined;
    script.stepDelaysMs = undefined;
    script.loseCommand = undefined;
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
  const waitForEnd = (id: string, timeoutMs = 90_000) =>
    waitFor(`deployment ${id} to end`, () => ended(id), { timeoutMs });
  const agentSteps = (id: string) => participants.recorded.agentSteps.filter((s) => s.stepId.startsWith(id));
  const executedTwice = () => [...participants.recorded.executions.entries()].filter(([, n]) => n > 1);

  // Once, in a whole-suite run under two loaded workers, the deployment never ended after the
  // outage (see apps/orchestrator/README.md, "Known issue"); back in CI since the reconnect grace.
  it('rolls out despite ~14 s of broker connections dropped mid-deploy: silence while the orchestrator could not hear does not count', async () => {
    const request = rolloutRequest('2.0.0', { stepTimeoutSeconds: 10 });
    // Each deploy takes 8 s (longer than the silence limit): one is in flight through most of the outage.
    script.stepDelaysMs = { deploy: 8_000 };
    await participants.send('deployment.requested', request);
    await waitFor('the canary deploy to start', () => agentSteps(request.deploymentId).length > 0, {
      timeoutMs: 15_000,
    });
    // The outage: for 14 s no connection of the vhost can be (re)opened and every open one is
    // dropped, so no heartbeat, command or reply passes (more than twice the silence limit).
    const closed = await vhost.outage(14_000);
    expect(closed).toBeGreaterThan(0);
    const end = await waitForEnd(request.deploymentId, 120_000);

    expect({ type: end.type, reason: end.data['reason'] }).toEqual({
      type: 'deployment.succeeded',
      reason: undefined,
    });
    expect([...participants.versions.values()]).toEqual(Array(6).fill('2.0.0'));
    expect(agentSteps(request.deploymentId).map((s) => s.kind)).toEqual(Array(6).fill('deploy'));
    expect(executedTwice()).toEqual([]);
    expect(participants.recorded.floorViolations).toEqual([]);
    expect(participants.recorded.commandRejections).toEqual([]);
  }, 180_000);

  it("sends a command lost with its agent's queue again as soon as the agent announces itself, long before its deadline", async () => {
    // A broker restart takes the agents' (non-durable) queues; a deploy published before web-1's agent
    // is back is routed nowhere. The agent, once its queue is back, announces itself again.
    script.loseCommand = ({ kind, nodeId, copy }) => kind === 'deploy' && nodeId === 'web-1' && copy === 1;
    const request = rolloutRequest('2.5.0', { stepTimeoutSeconds: 120 });
    await participants.send('deployment.requested', request);
    const lost = await waitFor('the canary deploy to be lost', () =>
      participants.recorded.lostCommands.find((c) => c.stepId.startsWith(request.deploymentId)),
    );
    await participants.reregister('web-1');
    const end = await waitForEnd(request.deploymentId);

    expect(end.type).toBe('deployment.succeeded');
    const arrivals = participants.recorded.commandArrivals.get(lost.stepId) ?? [];
    expect(arrivals).toHaveLength(2);
    // Sent again on the agent's return, not after the 120 s deadline.
    expect((arrivals[1] ?? Infinity) - lost.at).toBeLessThan(60_000);
    expect(agentSteps(request.deploymentId).map((s) => s.stepId)).toContain(lost.stepId);
    expect(executedTwice()).toEqual([]);
  }, 120_000);

  it('re-sends a rollback whose reply was lost, with the same step id, and the rollback completes', async () => {
    const before = new Map(participants.versions);
    script.failVerification = (r) =>
      r.expectedVersion === '6.6.6' ? 'GET /health → 500 on web-1' : undefined;
    script.dropAgentReply = ({ kind, copy }) => kind === 'rollback' && copy === 1;
    const request = rolloutRequest('6.6.6', { stepTimeoutSeconds: 5 });
    await participants.send('deployment.requested', request);
    const end = await waitForEnd(request.deploymentId);

    expect(end).toEqual({
      type: 'deployment.rolled_back',
      data: expect.objectContaining({ failedStep: 'verify', serverId: 'web-1' }),
    });
    const rollbacks = participants.recorded.agentResends.filter((s) =>
      s.stepId.startsWith(request.deploymentId),
    );
    expect(rollbacks.map((s) => `${s.kind}:${s.nodeId}`)).toEqual(['rollback:web-1']);
    expect(agentSteps(request.deploymentId).map((s) => `${s.kind}:${s.nodeId}`)).toEqual([
      'deploy:web-1',
      'rollback:web-1',
    ]);
    expect(executedTwice()).toEqual([]);
    expect(participants.versions.get('web-1')).toBe(before.get('web-1'));
    expect(participants.online.size).toBe(6);
  }, 120_000);

  const failSecondBatch = (version: string) => (r: { expectedVersion: string; servers: { id: string }[] }) =>
    r.expectedVersion === version && r.servers.some((s) => s.id === 'web-2')
      ? 'GET /health → 500 on web-2'
      : undefined;

  it('rollback-all: a failure after the canary completed ends rolled_back only once the canary is rolled back too', async () => {
    const before = new Map(participants.versions);
    script.failVerification = failSecondBatch('7.0.0');
    const request = rolloutRequest('7.0.0', { onFailure: 'rollback-all' });
    await participants.send('deployment.requested', request);
    const end = await waitForEnd(request.deploymentId);

    expect(end.type).toBe('deployment.rolled_back');
    expect(
      agentSteps(request.deploymentId)
        .filter((s) => s.kind === 'rollback')
        .map((s) => s.nodeId),
    ).toEqual(['web-2', 'web-3', 'web-1']);
    expect(new Map(participants.versions)).toEqual(before);
    expect(participants.online.size).toBe(6);
  }, 120_000);

  it('rollback: a failure after the canary completed leaves the canary on the new version, so it ends failed naming every version', async () => {
    script.failVerification = failSecondBatch('7.1.0');
    const request = rolloutRequest('7.1.0', { onFailure: 'rollback' });
    await participants.send('deployment.requested', request);
    const end = await waitForEnd(request.deploymentId);

    expect(end.type).toBe('deployment.failed');
    expect(String(end.data['reason'])).toContain('not rolled back: web-1 7.1.0 (online)');
    const servers = end.data['servers'] as {
      serverId: string;
      version: string | null;
      state: string;
      inPool: boolean;
    }[];
    expect(servers.map((s) => `${s.serverId}=${s.version}:${s.state}`)).toEqual(
      SERVERS.map((id) =>
        id === 'web-1' ? 'web-1=7.1.0:new' : `${id}=${participants.versions.get(id)}:previous`,
      ),
    );
    expect(participants.versions.get('web-1')).toBe('7.1.0');
    expect(ofDeployment(request.deploymentId).some((e) => e.type === 'deployment.rolled_back')).toBe(false);
  }, 120_000);
});
