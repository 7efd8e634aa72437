import {
  createTestDatabase,
  createTestVhost,
  waitFor,
  type TestDatabase,
  type TestVhost,
  startStandInOrchestrator,
  type StandInOrchestrator,
} from '@conveyor/testing';
import type { EventMap } from '@conveyor/contracts';
import { PIPELINE_EVENTS } from './testing/pipeline-events';
import { startPipeline, type StartedPipeline } from './testing/pipeline-harness';

const manifestYaml = (prodBatchSize: string) => `
description: The web shop
environments:
  dev:
    pool: shop-dev
    servers: [{ id: dev-1 }]
    strategy: { batchSize: 1, minHealthy: 0 }
  qa:
    pool: shop-qa
    servers: [{ id: qa-1 }, { id: qa-2 }]
    strategy: { batchSize: 1, minHealthy: 1 }
  staging:
    pool: shop-staging
    servers: [{ id: stg-1 }, { id: stg-2 }]
    strategy: { batchSize: 1, minHealthy: 1 }
  prod:
    pool: shop-prod
    servers: [{ id: web-1 }, { id: web-2 }, { id: web-3 }, { id: web-4 }]
    strategy: { batchSize: "${prodBatchSize}", canary: 1, minHealthy: "50%" }
    approvals: { required: 2, separationOfDuties: true, expiresAfterHours: 24 }
`;
const sha = (c: string) => c.repeat(64);

describe('a release through dev → qa → staging → prod, as Jenkins drives it', () => {
  let vhost: TestVhost;
  let database: TestDatabase;
  let fake: StandInOrchestrator;
  let pipeline: StartedPipeline;
  const tokens: Record<'jenkins' | 'carol' | 'dave' | 'alice' | 'bob' | 'erin', string> = {
    jenkins: '',
    carol: '',
    dave: '',
    alice: '',
    bob: '',
    erin: '',
  };

  beforeAll(async () => {
    [vhost, database] = await Promise.all([createTestVhost(), createTestDatabase()]);
    fake = await startStandInOrchestrator(vhost, PIPELINE_EVENTS);
    pipeline = await startPipeline(vhost.urlFor('pipeline'), database.url);
    tokens.jenkins = await pipeline.issueToken('jenkins', 'ci');
    tokens.carol = await pipeline.issueToken('carol', 'deployer');
    tokens.dave = await pipeline.issueToken('dave', 'admin');
    tokens.alice = await pipeline.issueToken('alice', 'approver');
    tokens.bob = await pipeline.issueToken('bob', 'approver');
    tokens.erin = await pipeline.issueToken('erin', 'auditor');
  });

  afterAll(async () => {
    await pipeline?.service.close();
    await fake?.close();
    await Promise.all([vhost?.delete(), database?.drop()]);
  });

  const requestsFor = (environment: string) =>
    fake.of('deployment.requested').filter((e) => e.data.environment === environment);
  async function deploymentRequested(environment: string): Promise<EventMap['deployment.requested']> {
    const [event] = await waitFor(`deployment.requested for ${environment}`, () => {
      const found = requestsFor(environment);
      return found.length > 0 && found;
    });
    return event!.data;
  }
  async function deploymentStatus(id: string, status: string) {
    return waitFor(`deployment ${id} to be ${status}`, async () => {
      const response = await pipeline.as(tokens.erin).get(`/deployments/${id}`);
      return response.status === 200 && response.body.status === status && response.body;
    });
  }
  async function promote(token: string, environment: string) {
    return pipeline.as(token).post('/promotions', { service: 'shop', version: '1.4.2', environment });
  }
  async function promoteAndSucceed(environment: string): Promise<string> {
    const promotion = await promote(tokens.jenkins, environment);
    expect(promotion.status).toBe(201);
    expect(promotion.body.status).toBe('deploying');
    const requested = await deploymentRequested(environment);
    await fake.rollOut(requested, 'succeeded');
    await deploymentStatus(requested.deploymentId, 'succeeded');
    return requested.deploymentId;
  }

  it('catalogues the manifest with a version; the same manifest again keeps it', async () => {
    const first = await pipeline
      .as(tokens.carol)
      .put('/services/shop', manifestYaml('25%'))
      .set('Content-Type', 'application/yaml');
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      service: 'shop',
      version: 1,
      changed: true,
      environments: ['dev', 'qa', 'staging', 'prod'],
    });
    const again = await pipeline
      .as(tokens.carol)
      .put('/services/shop', manifestYaml('25%'))
      .set('Content-Type', 'application/yaml');
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(1);
    const bad = await pipeline.as(tokens.carol).put('/services/shop', {
      environments: {
        prod: { pool: 'p', servers: [{ id: 'a' }], strategy: { batchSize: 'lots', minHealthy: 1 } },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.problems).toContain(
      'environments.prod.strategy.batchSize: must be a count or a percentage',
    );
  });

  it('records a run, its stages and its artifact once, however often Jenkins retries', async () => {
    const run = {
      service: 'shop',
      version: '1.4.2',
      commit: '9fceb02d0ae598e95dc970b74767f19372d61af8',
      branch: 'main',
      jobUrl: 'https://jenkins.example.com/job/shop/',
      buildNumber: 412,
      committedAt: new Date(Date.now() - 3_600_000).toISOString(),
    };
    const created = await pipeline.as(tokens.jenkins).post('/runs', run).expect(201);
    const retried = await pipeline.as(tokens.jenkins).post('/runs', run).expect(200);
    expect(retried.body.id).toBe(created.body.id);
    const stage = {
      name: 'unit tests',
      status: 'succeeded',
      startedAt: '2025-03-01T09:20:00Z',
      finishedAt: '2025-03-01T09:24:10Z',
      tests: { total: 1342, failed: 0, skipped: 4 },
    };
    await pipeline.as(tokens.jenkins).post(`/runs/${created.body.id}/stages`, stage).expect(201);
    await pipeline.as(tokens.jenkins).post(`/runs/${created.body.id}/stages`, stage).expect(200);
    await pipeline
      .as(tokens.jenkins)
      .post(`/runs/${created.body.id}/artifacts`, {
        url: 'https://artifacts.example.com/shop-1.4.2.zip',
        sha256: sha('a'),
        size: 1024,
      })
      .expect(201);
    await pipeline
      .as(tokens.jenkins)
      .post(`/runs/${created.body.id}/artifacts`, {
        url: 'https://artifacts.example.com/shop-1.4.2.zip',
        sha256: sha('a'),
        size: 1024,
      })
      .expect(200);
    const shown = await pipeline.as(tokens.erin).get(`/runs/${created.body.id}`).expect(200);
    expect(shown.body.stages).toHaveLength(1);
    expect(shown.body.artifacts.map((a: { sha256: string }) => a.sha256)).toEqual([sha('a')]);
    await waitFor('one stage report on the bus', () => fake.of('pipeline.stage.reported').length === 1);
    expect(fake.of('pipeline.run.created')).toHaveLength(1);
  });

  it('promotes to dev, qa and staging without approvals, and refuses prod before staging succeeded, saying why', async () => {
    const devDeployment = await promoteAndSucceed('dev');
    const dev = await pipeline.as(tokens.erin).get(`/deployments/${devDeployment}`).expect(200);
    expect(dev.body).toMatchObject({
      service: 'shop',
      environment: 'dev',
      version: '1.4.2',
      manifestVersion: 1,
      status: 'succeeded',
    });
    expect(dev.body.servers['dev-1']).toMatchObject({ step: 'online' });

    const tooEarly = await promote(tokens.carol, 'staging');
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body.message).toBe(
      `shop 1.4.2 (artifact sha256 ${sha('a')}) has not succeeded in qa, the environment before staging (dev → qa → staging → prod); promote it to qa first`,
    );

    const qa = await promote(tokens.jenkins, 'qa');
    expect(qa.status).toBe(201);
    const qaRequested = await deploymentRequested('qa');
    const pause = await pipeline.as(tokens.carol).post(`/deployments/${qaRequested.deploymentId}/pause`);
    expect(pause.status).toBe(202);
    await waitFor('pause forwarded', () =>
      fake
        .of('deployment.pause.requested')
        .some((e) => e.data.deploymentId === qaRequested.deploymentId && e.actor === 'carol'),
    );
    await fake.rollOut(qaRequested, 'succeeded');
    await deploymentStatus(qaRequested.deploymentId, 'succeeded');
    const late = await pipeline
      .as(tokens.carol)
      .post(`/deployments/${qaRequested.deploymentId}/abort`, { reason: 'too late' });
    expect(late.status).toBe(409);

    const prodTooEarly = await promote(tokens.carol, 'prod');
    expect(prodTooEarly.status).toBe(409);
    expect(prodTooEarly.body.message).toContain('has not succeeded in staging, the environment before prod');

    await promoteAndSucceed('staging');
    const listed = await pipeline
      .as(tokens.erin)
      .get('/deployments?service=shop&environment=staging')
      .expect(200);
    expect(listed.body.map((d: { status: string }) => d.status)).toEqual(['succeeded']);
  });

  it('needs two distinct approvers for prod, not the requester, bound to the plan and the artifact', async () => {
    const ciTry = await promote(tokens.jenkins, 'prod');
    expect(ciTry.status).toBe(403);
    expect(ciTry.body.message).toContain('role ci may only promote to environments without approvals');

    // dave is an admin: his role may approve, so only separation of duties stops him approving his own request
    const promotion = await promote(tokens.dave, 'prod');
    expect(promotion.status).toBe(201);
    expect(promotion.body).toMatchObject({
      status: 'awaiting_approval',
      fromEnvironment: 'staging',
      approvals: { required: 2, missing: 2 },
    });
    const id: string = promotion.body.id;
    expect((await promote(tokens.dave, 'prod')).body.id).toBe(id);

    const plan = await pipeline.as(tokens.alice).get(`/promotions/${id}/plan`).expect(200);
    expect(plan.body.plan.rollout.batches.map((b: { serverIds: string[] }) => b.serverIds)).toEqual([
      ['web-1'],
      ['web-2'],
      ['web-3'],
      ['web-4'],
    ]);
    const planHash: string = plan.body.planHash;

    const reviewed = { planHash, artifactSha256: sha('a') };
    const own = await pipeline.as(tokens.dave).post(`/promotions/${id}/approvals`, reviewed);
    expect(own.status).toBe(403);
    expect(own.body.message).toBe(
      'separation of duties: dave requested this promotion and cannot approve it',
    );
    expect((await pipeline.as(tokens.carol).post(`/promotions/${id}/approvals`, reviewed)).status).toBe(403);
    const unnamed = await pipeline.as(tokens.alice).post(`/promotions/${id}/approvals`, { planHash });
    expect(unnamed.status).toBe(400);
    const alice = await pipeline.as(tokens.alice).post(`/promotions/${id}/approvals`, reviewed);
    expect(alice.status).toBe(201);
    expect(alice.body).toMatchObject({
      status: 'awaiting_approval',
      approvals: { valid: ['alice'], missing: 1 },
    });

    // Jenkins tries to publish another build of the same version: refused, the artifact stays.
    const runId = (await pipeline.as(tokens.erin).get('/runs?service=shop')).body[0].id as string;
    const swap = await pipeline.as(tokens.jenkins).post(`/runs/${runId}/artifacts`, {
      url: 'https://artifacts.example.com/shop-1.4.2.zip',
      sha256: sha('b'),
      size: 2048,
    });
    expect(swap.status).toBe(409);
    expect(swap.body.message).toContain(sha('a'));
    expect(swap.body.message).toContain(sha('b'));
    const wrongSha = await pipeline
      .as(tokens.bob)
      .post(`/promotions/${id}/approvals`, { planHash, artifactSha256: sha('b') });
    expect(wrongSha.status).toBe(409);
    const afterSwap = await pipeline.as(tokens.erin).get(`/promotions/${id}`).expect(200);
    expect(afterSwap.body).toMatchObject({ artifactSha256: sha('a'), approvals: { valid: ['alice'] } });

    // The prod strategy changes: the plan changes, and Alice's approval no longer counts.
    await pipeline
      .as(tokens.carol)
      .put('/services/shop', manifestYaml('50%'))
      .set('Content-Type', 'application/yaml')
      .expect(201);
    const stale = await pipeline.as(tokens.bob).post(`/promotions/${id}/approvals`, reviewed);
    expect(stale.status).toBe(409);
    expect(stale.body.message).toContain('the plan changed since it was reviewed');
    const newPlan = await pipeline.as(tokens.bob).get(`/promotions/${id}/plan`).expect(200);
    expect(newPlan.body.planHash).not.toBe(planHash);
    const afterPlan = await pipeline.as(tokens.erin).get(`/promotions/${id}`).expect(200);
    expect(afterPlan.body.approvals.valid).toEqual([]);
    expect(afterPlan.body.approvals.voided).toEqual([
      expect.objectContaining({ approver: 'alice', reason: 'plan_changed' }),
    ]);

    const reviewedAgain = { planHash: newPlan.body.planHash, artifactSha256: sha('a') };
    await pipeline.as(tokens.alice).post(`/promotions/${id}/approvals`, reviewedAgain).expect(201);
    expect(requestsFor('prod')).toHaveLength(0);
    const second = await pipeline.as(tokens.bob).post(`/promotions/${id}/approvals`, reviewedAgain);
    expect(second.status).toBe(201);
    expect(second.body.status).toBe('deploying');
    const third = await pipeline.as(tokens.bob).post(`/promotions/${id}/approvals`, reviewedAgain);
    expect(third.status).toBe(409);

    const requested = await deploymentRequested('prod');
    expect(requested).toMatchObject({
      manifestVersion: 2,
      requestedBy: 'dave',
      approvedBy: ['alice', 'bob'],
      artifact: { sha256: sha('a') },
      proof: {
        promotionId: id,
        planHash: newPlan.body.planHash,
        artifactSha256: sha('a'),
        requestedBy: 'dave',
        policy: {
          environment: 'prod',
          required: 2,
          separationOfDuties: true,
          previousEnvironment: 'staging',
        },
        approvals: [
          expect.objectContaining({ approver: 'alice', role: 'approver', planHash: newPlan.body.planHash }),
          expect.objectContaining({ approver: 'bob', role: 'approver', artifactSha256: sha('a') }),
        ],
      },
    });
    const deployment = await pipeline
      .as(tokens.erin)
      .get(`/deployments/${requested.deploymentId}`)
      .expect(200);
    expect(deployment.body.artifactSha256).toBe(sha('a'));
    await fake.rollOut(requested, 'succeeded');
    await deploymentStatus(requested.deploymentId, 'succeeded');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(requestsFor('prod')).toHaveLength(1);
    expect((await pipeline.as(tokens.erin).get(`/promotions/${id}`)).body.status).toBe('succeeded');
  });

  it('shows the DORA figures of the release and exports them as metrics', async () => {
    const dora = await pipeline.as(tokens.erin).get('/insights/dora?service=shop').expect(200);
    expect(dora.body[0]).toMatchObject({
      service: 'shop',
      environment: 'prod',
      deployments: 1,
      changeFailureRate: 0,
    });
    expect(dora.body[0].leadTimeSeconds).toBeGreaterThanOrEqual(3600);
    const metrics = await pipeline.as(null).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/conveyor_dora_change_failure_rate\{service="shop"\} 0/);
  });

  it('records every change with its actor for the audit log', async () => {
    await waitFor('api actions on the bus', () =>
      fake.of('api.action.performed').some((e) => e.actor === 'bob' && e.data.path.endsWith('/approvals')),
    );
    const actors = new Set(fake.of('api.action.performed').map((e) => e.actor));
    expect([...actors].sort()).toEqual(['admin:bootstrap', 'alice', 'bob', 'carol', 'dave', 'jenkins']);
    const refused = fake.of('api.action.performed').find((e) => e.data.status === 409 && e.actor === 'carol');
    expect(refused?.data.summary).toContain('has not succeeded in');
    const selfApproval = fake
      .of('api.action.performed')
      .find((e) => e.actor === 'dave' && e.data.status === 403);
    expect(selfApproval?.data.summary).toContain('separation of duties');
  });
});
