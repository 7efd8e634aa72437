import { randomUUID } from 'node:crypto';
import type { SigningKeyPair } from '@conveyor/signing-keys';
import type { DeploymentRequested } from '@conveyor/contracts';
import { newTestApiToken, seedApiToken, startService, type RunningService } from '@conveyor/service-kit';
import {
  createTestDatabase,
  createTestVhost,
  waitFor,
  type TestDatabase,
  type TestVhost,
} from '@conveyor/testing';
import { orchestratorService } from '../orchestrator.boot';
import { withProof } from '../testing/deployment-proof.factory';
import {
  SERVERS,
  orchestratorTestEnv,
  parsedEnv,
  rolloutRequest,
  signingKeys,
} from '../testing/orchestrator-harness';
import { ScriptedParticipants, type ParticipantScript } from '../testing/scripted-participants';

const EVIL_SHA = 'e'.repeat(64);

/** A request as the pipeline would send it, minus its proof, so a forgery can be built from it. */
function unproven(version: string) {
  const { proof: _proof, ...request } = rolloutRequest(version);
  return { ...request, deploymentId: randomUUID() };
}

/**
 * Attack: a hand-crafted `deployment.requested` reaches the real orchestrator with a proof that
 * does not hold — a plan hash that is not the plan's, too few approvals, the requester approving
 * their own promotion, another artifact than the approved one, a relaxed policy, expired
 * approvals. Each is refused with `deployment.rejected` (proof_refused, saying why); no deployment
 * is started, no pool is touched, no agent command is signed.
 */
describe('red team: a deployment request with a forged proof', () => {
  let vhost: TestVhost;
  let database: TestDatabase;
  let keys: SigningKeyPair;
  let orchestrator: RunningService;
  let participants: ScriptedParticipants;
  const reader = newTestApiToken('rita@example.com', 'deployer');
  const script: ParticipantScript = { silent: new Set(), replyDelayMs: 20 };

  beforeAll(async () => {
    [vhost, database] = await Promise.all([createTestVhost(), createTestDatabase()]);
    keys = signingKeys();
    participants = new ScriptedParticipants(SERVERS, keys.publicKeyPem, script);
    await participants.start(vhost, database.url);
    orchestrator = await startService(
      orchestratorService,
      parsedEnv(orchestratorTestEnv(vhost.urlFor('orchestrator'), database.url, keys.privateKeyPem)),
    );
    // A person's token, to read deployments back (GET /deployments/:id needs one).
    await seedApiToken(orchestrator.app, reader);
  });

  afterAll(async () => {
    await orchestrator?.close();
    await participants?.stop();
    await Promise.all([vhost?.delete(), database?.drop()]);
  });

  const ofDeployment = (id: string) =>
    participants.recorded.deploymentEvents.filter((e) => e.data['deploymentId'] === id);

  async function expectRefused(request: DeploymentRequested, why: string): Promise<void> {
    await participants.send('deployment.requested', request);
    const rejected = await waitFor(`the rejection of ${request.deploymentId}`, () =>
      ofDeployment(request.deploymentId).find((e) => e.type === 'deployment.rejected'),
    );
    expect(rejected.data).toMatchObject({
      reason: 'proof_refused',
      service: 'billing',
      environment: 'production',
    });
    expect(rejected.data['detail']).toContain(why);
    // Anything it would have started would follow at once in the same commit; give it a moment anyway.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ofDeployment(request.deploymentId).map((e) => e.type)).toEqual(['deployment.rejected']);
    const stored = await fetch(`http://127.0.0.1:${orchestrator.port}/deployments/${request.deploymentId}`, {
      headers: { authorization: `Bearer ${reader.secret}` },
    });
    expect(stored.status).toBe(404);
    expect(participants.recorded.drains.filter((d) => d.deploymentId === request.deploymentId)).toEqual([]);
    expect(participants.recorded.agentSteps.filter((s) => s.stepId.startsWith(request.deploymentId))).toEqual(
      [],
    );
    expect(participants.recorded.commandRejections).toEqual([]);
    expect([...participants.versions.values()]).toEqual(Array(SERVERS.length).fill('1.0.0'));
  }

  it('refuses a plan hash that is not the hash of the carried plan and policy', async () => {
    const honest = withProof(unproven('9.0.1'));
    const forged = { ...honest, proof: { ...honest.proof, planHash: 'c'.repeat(64) } };
    await expectRefused(forged, 'the plan hash does not match');
  });

  it('refuses an approved proof reused for other servers and a looser strategy', async () => {
    const honest = withProof(unproven('9.0.2'));
    for (const environmentSpec of [
      { ...honest.environmentSpec, servers: [{ id: 'web-1', address: '10.6.6.6:8080' }] },
      {
        ...honest.environmentSpec,
        strategy: { ...honest.environmentSpec.strategy, batchSize: 6, canary: null, minHealthy: 0 },
      },
    ]) {
      await expectRefused(
        { ...honest, deploymentId: randomUUID(), environmentSpec },
        'the plan hash does not match',
      );
    }
  });

  it('refuses too few approvals', async () => {
    await expectRefused(
      withProof(unproven('9.0.3'), { approvers: ['bob'] }),
      'production needs 2 approval(s) from distinct approvers; the proof has 1 (bob)',
    );
  });

  it('refuses the requester approving their own promotion under separation of duties', async () => {
    await expectRefused(
      withProof(unproven('9.0.4'), { approvers: ['alice', 'bob'] }),
      'the approval of alice does not count: separation of duties, alice requested this promotion',
    );
  });

  it('refuses another artifact than the one approved', async () => {
    const honest = withProof(unproven('9.0.5'));
    const forged = {
      ...honest,
      artifact: { ...honest.artifact, sha256: EVIL_SHA, url: 'https://evil.example/x.tgz' },
    };
    await expectRefused(forged, `the artifact sha256 ${EVIL_SHA} is not the one the proof names`);
  });

  it('refuses a policy relaxed after the approvals were given (the hash covers the policy)', async () => {
    const honest = withProof(unproven('9.0.6'));
    const forged = {
      ...honest,
      approvedBy: [],
      proof: { ...honest.proof, policy: { ...honest.proof.policy, required: 0 }, approvals: [] },
    };
    await expectRefused(forged, 'the plan hash does not match');
  });

  it('refuses expired approvals', async () => {
    await expectRefused(
      withProof(unproven('9.0.7'), { approvedAt: new Date(Date.now() - 48 * 3_600_000) }),
      'expired at',
    );
  });

  it('starts the same request when its proof holds (so the refusals above are the proof check)', async () => {
    const request = withProof(unproven('9.1.0'));
    await participants.send('deployment.requested', request);
    const end = await waitFor(
      'the deployment to end',
      () => ofDeployment(request.deploymentId).find((e) => e.type === 'deployment.succeeded'),
      { timeoutMs: 30_000 },
    );
    expect(end.type).toBe('deployment.succeeded');
    expect([...participants.versions.values()]).toEqual(Array(SERVERS.length).fill('9.1.0'));
  });
});
