import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  newTestApiToken,
  publishAsPipeline,
  revocationOf,
  startService,
  type RunningService,
  type TestApiToken,
} from '@conveyor/service-kit';
import {
  createTestDatabase,
  createTestVhost,
  waitFor,
  type TestDatabase,
  type TestVhost,
} from '@conveyor/testing';
import { orchestratorService } from '../orchestrator.boot';
import { orchestratorTestEnv, parsedEnv, signingKeys } from '../testing/orchestrator-harness';

/**
 * Red team: the orchestrator's read API answers only people with a token the pipeline issued
 * and has not revoked, learnt from the bus; without one it says nothing, not even whether a
 * deployment exists.
 */
describe('red team: reading a deployment from the orchestrator without a valid token', () => {
  let vhost: TestVhost;
  let database: TestDatabase;
  let db: DataSource;
  let orchestrator: RunningService;
  const erin = newTestApiToken('erin@example.com', 'approver');
  const url = (path: string) => `http://127.0.0.1:${orchestrator.port}${path}`;
  const get = (path: string, token: string | null) =>
    fetch(url(path), { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  const identityRow = async (token: TestApiToken) =>
    (
      (await db.query(`SELECT revoked_at FROM orchestrator.api_identities WHERE token_id = $1`, [
        token.issued.tokenId,
      ])) as { revoked_at: Date | null }[]
    )[0];

  beforeAll(async () => {
    [vhost, database] = await Promise.all([createTestVhost(), createTestDatabase()]);
    orchestrator = await startService(
      orchestratorService,
      parsedEnv(orchestratorTestEnv(vhost.urlFor('orchestrator'), database.url, signingKeys().privateKeyPem)),
    );
    db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
  });

  afterAll(async () => {
    await orchestrator?.close();
    await db?.destroy();
    await Promise.all([vhost?.delete(), database?.drop()]);
  });

  it('answers 401 to GET /deployments/:id with no token, a malformed header or an unknown token', async () => {
    const path = `/deployments/${randomUUID()}`;
    for (const token of [null, 'cvy_guessed', erin.secret]) {
      const response = await get(path, token);
      expect(response.status).toBe(401);
    }
    const basic = await fetch(url(path), { headers: { authorization: 'Basic YWxpY2U6c2VjcmV0' } });
    expect(basic.status).toBe(401);
    // A malformed id is not even looked at without a token.
    expect((await get('/deployments/not-a-uuid', null)).status).toBe(401);
  });

  it('accepts a token once the pipeline announces it, and refuses it again once revoked', async () => {
    await publishAsPipeline(vhost.urlFor('pipeline'), [{ type: 'identity.token.issued', data: erin.issued }]);
    await waitFor('the orchestrator to learn the token', async () => (await identityRow(erin)) !== undefined);
    const missing = await get(`/deployments/${randomUUID()}`, erin.secret);
    expect(missing.status).toBe(404);
    const malformed = await get('/deployments/not-a-uuid', erin.secret);
    expect(malformed.status).toBe(400);
    // The same error shape as every service's: what was wrong, and where.
    expect(await malformed.json()).toMatchObject({
      error: 'invalid path parameter',
      problems: ['id: is not a deployment id (a uuid)'],
    });

    await publishAsPipeline(vhost.urlFor('pipeline'), [
      { type: 'identity.token.revoked', data: revocationOf(erin) },
    ]);
    await waitFor('the revocation', async () => (await identityRow(erin))?.revoked_at != null);
    const revoked = await get(`/deployments/${randomUUID()}`, erin.secret);
    expect(revoked.status).toBe(401);
    expect(((await revoked.json()) as { message: string }).message).toBe('unknown or revoked API token');
  });

  it('keeps /health and /metrics open for probes and Prometheus', async () => {
    expect((await get('/health', null)).status).toBe(200);
    expect((await get('/metrics', null)).status).toBe(200);
  });
});
