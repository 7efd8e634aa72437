import { shopManifest, startReleaseFixture, type ReleaseFixture } from '../testing/release-fixture';

/** Attack: Jenkins' ci token sends a build straight to production, skipping staging and approvals. */
describe('red team: ci promoting straight to production', () => {
  let f: ReleaseFixture;

  beforeAll(async () => {
    f = await startReleaseFixture();
    await f.promoteAndSucceed('dev');
  });

  afterAll(async () => {
    await f?.close();
  });

  const promotions = async () =>
    (await f.as('erin').get('/promotions?service=shop').expect(200)).body as unknown[];

  it('is refused (403), recorded, and creates no promotion and no deployment', async () => {
    const before = (await promotions()).length;
    const answer = await f
      .as('jenkins')
      .post('/promotions', { service: 'shop', version: '1.0.0', environment: 'prod' });
    expect(answer.status).toBe(403);
    expect(answer.body.message).toContain('role ci may only promote to environments without approvals');
    await f.recorded('jenkins', (a) => a.status === 403 && a.path === '/promotions');
    expect((await promotions()).length).toBe(before);
    expect(f.requestsFor('prod')).toHaveLength(0);
  });

  it('cannot be opened by a deployer putting prod first or making it approval-free', async () => {
    for (const manifest of [
      shopManifest({ order: ['prod', 'dev', 'staging'], prod: { required: 0 } }),
      shopManifest({ prod: { required: 0 } }),
    ]) {
      const answer = await f.as('carol').put('/services/shop', manifest);
      expect(answer.status).toBe(403);
    }
    await f.recorded('carol', (a) => a.status === 403 && a.summary.includes('reordered environments'));
    const retry = await f
      .as('jenkins')
      .post('/promotions', { service: 'shop', version: '1.0.0', environment: 'prod' });
    expect(retry.status).toBe(403);
    expect(f.requestsFor('prod')).toHaveLength(0);
  });

  it('a deployer cannot skip staging either (409 naming it), and that is recorded', async () => {
    const answer = await f
      .as('carol')
      .post('/promotions', { service: 'shop', version: '1.0.0', environment: 'prod' });
    expect(answer.status).toBe(409);
    expect(answer.body.message).toContain('has not succeeded in staging, the environment before prod');
    await f.recorded('carol', (a) => a.status === 409 && a.summary.includes('has not succeeded in staging'));
    expect(f.requestsFor('prod')).toHaveLength(0);
  });
});
