import { DataSource } from 'typeorm';
import {
  newTestApiToken,
  publishAsPipeline,
  revocationOf,
  type RunningService,
  type TestApiToken,
} from '@conveyor/service-kit';
import { waitFor, type TestVhost } from '@conveyor/testing';
import type { PoolView } from '../http/pools-view.service';
import { PoolTestBed } from '../testing/pool-manager-harness';

/**
 * Red team: the pool view (which servers, where, in which state) is for people with a token the
 * pipeline issued and has not revoked, learnt from the bus; without one the pool manager says nothing.
 */
describe('red team: reading the HAProxy pools without a valid token', () => {
  const bed = new PoolTestBed({ servers: 2 });
  let vhost: TestVhost;
  let db: DataSource;
  let service: RunningService;
  const frank = newTestApiToken('frank@example.com', 'ci');
  const get = (path: string, token: string | null) =>
    fetch(`http://127.0.0.1:${service.port}${path}`, {
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
    });
  const identityRow = async (token: TestApiToken) =>
    (
      (await db.query(`SELECT revoked_at FROM pool_manager.api_identities WHERE token_id = $1`, [
        token.issued.tokenId,
      ])) as { revoked_at: Date | null }[]
    )[0];

  beforeAll(async () => {
    ({ vhost, poolManager: service } = await bed.start());
    db = await new DataSource({ type: 'postgres', url: bed.database.url }).initialize();
  }, 120_000);

  afterAll(async () => {
    await db?.destroy();
    await bed.close();
  });

  it('answers 401 to GET /pools with no token, a malformed header or an unknown token, and shows no pool', async () => {
    for (const token of [null, 'cvy_guessed', frank.secret]) {
      const response = await get('/pools', token);
      expect(response.status).toBe(401);
      expect(await response.text()).not.toContain('lb-a');
    }
    const basic = await fetch(`http://127.0.0.1:${service.port}/pools`, {
      headers: { authorization: 'Basic ZnJhbms6c2VjcmV0' },
    });
    expect(basic.status).toBe(401);
  });

  it('shows the pools to a token the pipeline announced, and refuses it once revoked', async () => {
    await publishAsPipeline(vhost.urlFor('pipeline'), [
      { type: 'identity.token.issued', data: frank.issued },
    ]);
    await waitFor(
      'the pool manager to learn the token',
      async () => (await identityRow(frank)) !== undefined,
    );
    const allowed = await get('/pools', frank.secret);
    expect(allowed.status).toBe(200);
    expect(((await allowed.json()) as { pools: PoolView[] }).pools.map((pool) => pool.pool)).toEqual(['web']);

    await publishAsPipeline(vhost.urlFor('pipeline'), [
      { type: 'identity.token.revoked', data: revocationOf(frank) },
    ]);
    await waitFor('the revocation', async () => (await identityRow(frank))?.revoked_at != null);
    expect((await get('/pools', frank.secret)).status).toBe(401);
  });

  it('keeps /health (live, ready) and /metrics open for probes and Prometheus', async () => {
    expect((await get('/health', null)).status).toBe(200);
    expect((await get('/health/live', null)).status).toBe(200);
    expect((await get('/health/ready', null)).status).toBe(200);
    expect((await get('/metrics', null)).status).toBe(200);
  });
});
