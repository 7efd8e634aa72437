import { waitFor } from '@conveyor/testing';
import { sha, shopManifest, startReleaseFixture, type ReleaseFixture } from '../testing/release-fixture';

/**
 * Attack: a deployer (or an admin) weakens the approval rule so a release reaches prod with fewer
 * eyes — fewer approvals, no separation of duties, prod first, or a weaker environment on prod's
 * machines — or the requester approves alone.
 */
describe('red team: relaxing the approval policy', () => {
  let f: ReleaseFixture;
  let promotionId: string;

  beforeAll(async () => {
    f = await startReleaseFixture();
    await f.promoteAndSucceed('dev');
    await f.promoteAndSucceed('staging');
    // dave (admin, a role that may approve) requests prod: the rule is frozen now (2, separation of duties)
    const promotion = await f
      .as('dave')
      .post('/promotions', { service: 'shop', version: '1.0.0', environment: 'prod' })
      .expect(201);
    promotionId = promotion.body.id as string;
    expect(promotion.body.policy).toMatchObject({
      environment: 'prod',
      required: 2,
      separationOfDuties: true,
      approverRoles: ['approver', 'admin'],
      environmentOrder: ['dev', 'staging', 'prod'],
      previousEnvironment: 'staging',
    });
  });

  afterAll(async () => {
    await f?.close();
  });

  const manifestVersion = async () => (await f.as('erin').get('/services/shop').expect(200)).body.version;

  it.each([
    [
      'lowers prod approvals',
      shopManifest({ prod: { required: 0 } }),
      'lowered prod approvals.required from 2 to 0',
    ],
    [
      'turns separation of duties off',
      shopManifest({ prod: { separationOfDuties: false } }),
      'turned separation of duties off in prod',
    ],
    [
      'puts prod first',
      shopManifest({ order: ['prod', 'dev', 'staging'] }),
      'reordered environments from dev → staging → prod to prod → dev → staging',
    ],
    ['removes staging', shopManifest({ order: ['dev', 'prod'] }), 'removed environment staging'],
    [
      "points dev at prod's pool",
      shopManifest({ devPool: 'shop-prod' }),
      'dev now uses pool shop-prod of prod, which needs 2 approval(s)',
    ],
    [
      'keeps approvals valid for a month',
      shopManifest({ prod: { expiresAfterHours: 720 } }),
      'raised prod approvals.expiresAfterHours from 24 to 720',
    ],
  ])(
    'a deployer who %s is refused (403 naming it), recorded, and the manifest stays',
    async (_, manifest, what) => {
      const before = await manifestVersion();
      const answer = await f.as('carol').put('/services/shop', manifest);
      expect(answer.status).toBe(403);
      expect(answer.body.message).toContain('relaxing the approval policy of shop needs the admin role');
      expect(answer.body.message).toContain(what);
      const audit = await f.recorded('carol', (a) => a.status === 403 && a.summary.includes(what));
      expect(audit).toMatchObject({ method: 'PUT', path: '/services/shop', role: 'deployer' });
      expect(await manifestVersion()).toBe(before);
      expect(f.fake.of('service.manifest.applied')).toHaveLength(1);
    },
  );

  it('the requester cannot approve alone, even as an admin', async () => {
    const plan = await f.as('dave').get(`/promotions/${promotionId}/plan`).expect(200);
    const own = await f.as('dave').post(`/promotions/${promotionId}/approvals`, {
      planHash: plan.body.planHash,
      artifactSha256: sha('a'),
    });
    expect(own.status).toBe(403);
    expect(own.body.message).toBe(
      'separation of duties: dave requested this promotion and cannot approve it',
    );
    await f.recorded('dave', (a) => a.status === 403 && a.summary.includes('separation of duties'));
    const promotion = await f.as('erin').get(`/promotions/${promotionId}`).expect(200);
    expect(promotion.body.approvals).toMatchObject({ given: [], valid: [], missing: 2 });
    expect(f.requestsFor('prod')).toHaveLength(0);
  });

  it("an admin's relaxation is applied and recorded with what it relaxed, but the open promotion keeps its frozen rule", async () => {
    const relaxed = await f
      .as('dave')
      .put('/services/shop', shopManifest({ prod: { required: 1, separationOfDuties: false } }));
    expect(relaxed.status).toBe(201);
    const audit = await f.recorded('dave', (a) => a.status === 201 && a.summary.includes('relaxed'));
    expect(audit.summary).toContain(
      'relaxed the approval policy: lowered prod approvals.required from 2 to 1; turned separation of duties off in prod',
    );

    const plan = await f.as('alice').get(`/promotions/${promotionId}/plan`).expect(200);
    expect(plan.body.policy).toMatchObject({ required: 2, separationOfDuties: true, manifestVersion: 1 });
    const reviewed = { planHash: plan.body.planHash, artifactSha256: sha('a') };
    // Under the new manifest dave could approve his own request and one approval would do; not under the frozen rule.
    expect((await f.as('dave').post(`/promotions/${promotionId}/approvals`, reviewed)).status).toBe(403);
    const alice = await f.as('alice').post(`/promotions/${promotionId}/approvals`, reviewed).expect(201);
    expect(alice.body).toMatchObject({ status: 'awaiting_approval', approvals: { required: 2, missing: 1 } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(f.requestsFor('prod')).toHaveLength(0);

    const bob = await f.as('bob').post(`/promotions/${promotionId}/approvals`, reviewed).expect(201);
    expect(bob.body.status).toBe('deploying');
    const [requested] = await waitFor('deployment.requested for prod', () => {
      const found = f.requestsFor('prod');
      return found.length > 0 && found;
    });
    expect(requested!.data.proof).toMatchObject({
      promotionId,
      planHash: plan.body.planHash,
      artifactSha256: sha('a'),
      requestedBy: 'dave',
      policy: { required: 2, separationOfDuties: true },
    });
    expect(requested!.data.proof.approvals.map((a) => a.approver)).toEqual(['alice', 'bob']);
    expect(requested!.data.environmentSpec.approvals).toMatchObject({
      required: 2,
      separationOfDuties: true,
    });
  });
});
