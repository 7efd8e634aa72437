import { waitFor } from '@conveyor/testing';
import { sha, startReleaseFixture, type ReleaseFixture } from '../testing/release-fixture';

/**
 * Attack: once a version is approved (or has passed staging), publish another artifact under the
 * same version, or approve with a digest other than the promotion's.
 */
describe('red team: swapping an approved artifact', () => {
  let f: ReleaseFixture;
  let promotionId: string;
  let planHash: string;

  beforeAll(async () => {
    f = await startReleaseFixture();
    await f.promoteAndSucceed('dev');
    await f.promoteAndSucceed('staging');
    const promotion = await f
      .as('carol')
      .post('/promotions', { service: 'shop', version: '1.0.0', environment: 'prod' })
      .expect(201);
    promotionId = promotion.body.id as string;
    planHash = (await f.as('alice').get(`/promotions/${promotionId}/plan`).expect(200)).body
      .planHash as string;
  });

  afterAll(async () => {
    await f?.close();
  });

  const artifacts = async () =>
    (await f.as('erin').get(`/runs/${f.runId}`).expect(200)).body.artifacts as {
      sha256: string;
      url: string;
    }[];

  it('publishing another sha256 for a published version is refused (409 naming both), recorded, and the artifact stays', async () => {
    const answer = await f.as('jenkins').post(`/runs/${f.runId}/artifacts`, {
      url: 'https://evil.example.com/shop-1.0.0.zip',
      sha256: sha('e'),
      size: 1024,
    });
    expect(answer.status).toBe(409);
    expect(answer.body.message).toBe(
      `shop 1.0.0 is already published with sha256 ${sha('a')}; an artifact never changes, so sha256 ${sha('e')} is refused (publish it as a new version)`,
    );
    await f.recorded('jenkins', (a) => a.status === 409 && a.summary.includes(sha('e')));
    expect(await artifacts()).toEqual([expect.objectContaining({ sha256: sha('a') })]);
    expect(f.fake.of('artifact.published')).toHaveLength(1);
    expect(f.fake.of('promotion.approvals.voided')).toHaveLength(0);
  });

  it('publishing the same sha256 again is a retry (200), nothing new', async () => {
    const again = await f.as('jenkins').post(`/runs/${f.runId}/artifacts`, {
      url: 'https://artifacts.example.com/shop-1.0.0.zip',
      sha256: sha('a'),
      size: 1024,
    });
    expect(again.status).toBe(200);
    expect(f.fake.of('artifact.published')).toHaveLength(1);
  });

  it('an approval without the sha256 is refused (400), one with another sha256 (409); neither is recorded as an approval', async () => {
    const missing = await f.as('alice').post(`/promotions/${promotionId}/approvals`, { planHash });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('artifactSha256');
    const wrong = await f
      .as('alice')
      .post(`/promotions/${promotionId}/approvals`, { planHash, artifactSha256: sha('e') });
    expect(wrong.status).toBe(409);
    expect(wrong.body.message).toContain(
      `the artifact sha256 ${sha('e')} is not the promotion's (${sha('a')})`,
    );
    await f.recorded('alice', (a) => a.status === 409 && a.summary.includes(sha('e')));
    const promotion = await f.as('erin').get(`/promotions/${promotionId}`).expect(200);
    expect(promotion.body).toMatchObject({ artifactSha256: sha('a'), status: 'awaiting_approval' });
    expect(promotion.body.approvals.given).toEqual([]);
    expect(f.fake.of('promotion.approved')).toHaveLength(0);
    expect(f.requestsFor('prod')).toHaveLength(0);
  });

  it('deployments record the sha256 they rolled out, and the approved deployment carries the same one', async () => {
    const staging = f.requestsFor('staging')[0]!.data;
    const view = await f.as('erin').get(`/deployments/${staging.deploymentId}`).expect(200);
    expect(view.body.artifactSha256).toBe(sha('a'));
    const reviewed = { planHash, artifactSha256: sha('a') };
    await f.as('alice').post(`/promotions/${promotionId}/approvals`, reviewed).expect(201);
    await f.as('bob').post(`/promotions/${promotionId}/approvals`, reviewed).expect(201);
    const prod = await waitFor('deployment.requested for prod', () => {
      const found = f.requestsFor('prod');
      return found.length > 0 && found;
    });
    expect(prod).toHaveLength(1);
    expect(prod[0]!.data.artifact.sha256).toBe(sha('a'));
    expect(prod[0]!.data.proof.artifactSha256).toBe(sha('a'));
  });
});
