import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import {
  createTestDatabase,
  createTestVhost,
  waitFor,
  type TestDatabase,
  type TestVhost,
  startStandInOrchestrator,
  type StandInOrchestrator,
} from '@conveyor/testing';
import { ROLES, PERMISSIONS, type Permission, type Role } from './auth/role-policy';
import { createTokenBody } from './auth/token.schemas';
import { parseManifestBody } from './catalogue/manifest-body.parser';
import { abortBody, emptyBody, excludeHostBody } from './deployments/deployment.schemas';
import { approveBody, requestPromotionBody } from './promotions/promotion.schemas';
import { createRunBody, publishArtifactBody, reportStageBody } from './runs/run.schemas';
import { PIPELINE_EVENTS } from './testing/pipeline-events';
import { startPipeline, type StartedPipeline } from './testing/pipeline-harness';

interface Endpoint {
  method: 'post' | 'put';
  path: string;
  permission: Permission;
  valid: object;
  isValid(body: unknown): boolean;
}
const byZod = (schema: z.ZodType) => (body: unknown) => schema.safeParse(body).success;
const id = randomUUID();
const endpoints: Endpoint[] = [
  {
    method: 'put',
    path: '/services/shop',
    permission: 'manageManifests',
    valid: {
      environments: { dev: { pool: 'p', servers: [{ id: 'a' }], strategy: { batchSize: 1, minHealthy: 0 } } },
    },
    isValid: (b) => parseManifestBody('shop', b).ok,
  },
  {
    method: 'post',
    path: '/runs',
    permission: 'reportBuilds',
    valid: { service: 'shop', version: '1.0.0', commit: 'abcdef1', branch: 'main' },
    isValid: byZod(createRunBody),
  },
  {
    method: 'post',
    path: `/runs/${id}/stages`,
    permission: 'reportBuilds',
    valid: { name: 'build', status: 'succeeded' },
    isValid: byZod(reportStageBody),
  },
  {
    method: 'post',
    path: `/runs/${id}/artifacts`,
    permission: 'reportBuilds',
    valid: { url: 'https://a.example/x.zip', sha256: 'a'.repeat(64), size: 1024 },
    isValid: byZod(publishArtifactBody),
  },
  {
    method: 'post',
    path: '/promotions',
    permission: 'requestPromotions',
    valid: { service: 'shop', version: '1.0.0', environment: 'dev' },
    isValid: byZod(requestPromotionBody),
  },
  {
    method: 'post',
    path: `/promotions/${id}/approvals`,
    permission: 'approve',
    valid: { planHash: 'b'.repeat(64) },
    isValid: byZod(approveBody),
  },
  {
    method: 'post',
    path: `/deployments/${id}/pause`,
    permission: 'controlDeployments',
    valid: {},
    isValid: byZod(emptyBody),
  },
  {
    method: 'post',
    path: `/deployments/${id}/abort`,
    permission: 'controlDeployments',
    valid: { reason: 'x' },
    isValid: byZod(abortBody),
  },
  {
    method: 'post',
    path: `/deployments/${id}/exclude-host`,
    permission: 'controlDeployments',
    valid: { serverId: 'web-1', reason: 'x' },
    isValid: byZod(excludeHostBody),
  },
  {
    method: 'post',
    path: '/tokens',
    permission: 'manageTokens',
    valid: { name: 'x', role: 'ci' },
    isValid: byZod(createTokenBody),
  },
];
const TABLES = [
  'api_tokens',
  'service_manifests',
  'pipeline_runs',
  'pipeline_stages',
  'artifacts',
  'promotions',
  'approvals',
  'deployments',
];

/** A body near a valid one (a field replaced, removed or added) or any JSON object or array. */
function bodyFor(endpoint: Endpoint): fc.Arbitrary<unknown> {
  const keys = Object.keys(endpoint.valid);
  const valid = endpoint.valid as Record<string, unknown>;
  const replaced =
    keys.length === 0
      ? fc.constant({ unexpected: 1 })
      : fc
          .tuple(fc.constantFrom(...keys), fc.jsonValue())
          .map(([key, value]) => ({ ...valid, [key]: value }));
  const removed =
    keys.length === 0
      ? fc.constant([])
      : fc
          .constantFrom(...keys)
          .map((key) => Object.fromEntries(Object.entries(valid).filter(([k]) => k !== key)));
  const added = fc
    .tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue())
    .map(([key, value]) => ({ ...valid, [key]: value }));
  const anyJson = fc.oneof(
    fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 3 })),
    fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }),
  );
  return fc.oneof(replaced, removed, added, anyJson);
}

type Caller = 'none' | 'garbage' | 'malformed' | 'wrong-role' | 'right-role';
interface FuzzCase {
  endpoint: Endpoint;
  caller: Caller;
  role: Role;
  body: unknown;
}
interface FuzzRequest extends FuzzCase {
  headers: Record<string, string>;
  expected: 400 | 401 | 403;
  chosenRole: Role | null;
}

/** The request a case makes and the answer it must get; null when the case cannot be made (a valid body, no wrong role). */
function toRequest(c: FuzzCase, tokens: Record<Role, string>): FuzzRequest | null {
  const allowed: readonly Role[] = PERMISSIONS[c.endpoint.permission];
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const pick = (roles: readonly Role[]) => roles[ROLES.indexOf(c.role) % roles.length];
  switch (c.caller) {
    case 'none':
      return { ...c, headers, expected: 401, chosenRole: null };
    case 'garbage':
      return {
        ...c,
        headers: { ...headers, authorization: 'Bearer cvy_not-a-real-token' },
        expected: 401,
        chosenRole: null,
      };
    case 'malformed':
      return { ...c, headers: { ...headers, authorization: 'Token abc' }, expected: 401, chosenRole: null };
    case 'wrong-role': {
      const role = pick(ROLES.filter((r) => !allowed.includes(r)));
      return role
        ? {
            ...c,
            headers: { ...headers, authorization: `Bearer ${tokens[role]}` },
            expected: 403,
            chosenRole: role,
          }
        : null;
    }
    case 'right-role': {
      const role = pick(allowed)!;
      return c.endpoint.isValid(c.body)
        ? null
        : {
            ...c,
            headers: { ...headers, authorization: `Bearer ${tokens[role]}` },
            expected: 400,
            chosenRole: role,
          };
    }
  }
}

function mismatch(
  c: FuzzRequest,
  status: number,
  body: { message?: unknown; problems?: unknown },
): string | null {
  if (status !== c.expected) return `expected ${c.expected}, got ${status} ${JSON.stringify(body)}`;
  if (c.expected === 400) {
    const problems = body.problems;
    if (
      !Array.isArray(problems) ||
      problems.length === 0 ||
      !problems.every((p) => typeof p === 'string' && /^.+: \S/.test(p))
    )
      return `no problems listed: ${JSON.stringify(body)}`;
    return null;
  }
  if (typeof body.message !== 'string' || body.message.length === 0)
    return `no reason: ${JSON.stringify(body)}`;
  if (c.expected === 403 && !body.message.includes(`role ${c.chosenRole} may not`))
    return `403 without the role: ${body.message}`;
  return null;
}

describe('requests without a token, with a wrong role or with a malformed body', () => {
  let vhost: TestVhost;
  let database: TestDatabase;
  let fake: StandInOrchestrator;
  let pipeline: StartedPipeline;
  let db: DataSource;
  const tokens = {} as Record<Role, string>;

  async function counts(): Promise<Record<string, number>> {
    const result: Record<string, number> = {};
    for (const table of TABLES)
      result[table] = (await db.query(`SELECT count(*)::int AS n FROM pipeline.${table}`))[0].n;
    return result;
  }

  beforeAll(async () => {
    [vhost, database] = await Promise.all([createTestVhost(), createTestDatabase()]);
    fake = await startStandInOrchestrator(vhost, PIPELINE_EVENTS);
    pipeline = await startPipeline(vhost.urlFor('pipeline'), database.url);
    db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    for (const role of ROLES) tokens[role] = await pipeline.issueToken(`${role}-holder`, role);
    await waitFor('token events', () => fake.of('api.action.performed').length === ROLES.length);
  });

  afterAll(async () => {
    await db?.destroy();
    await pipeline?.service.close();
    await fake?.close();
    await Promise.all([vhost?.delete(), database?.drop()]);
  });

  it('answers 401, 403 or 400 with a reason to a few thousand of them, never 5xx, and changes nothing', async () => {
    const before = await counts();
    const eventsBefore = fake.received.length;
    const caseArbitrary = fc
      .record({
        endpoint: fc.constantFrom(...endpoints),
        caller: fc.constantFrom<Caller>(
          'none',
          'garbage',
          'malformed',
          'wrong-role',
          'right-role',
          'right-role',
        ),
        role: fc.constantFrom(...ROLES),
      })
      .chain((r) => bodyFor(r.endpoint).map((body) => ({ ...r, body })));
    const cases = fc
      .sample(caseArbitrary, { numRuns: Number(process.env['FUZZ_RUNS'] ?? 2500), seed: 20250301 })
      .flatMap((c) => {
        const request = toRequest(c, tokens);
        return request ? [request] : [];
      });
    expect(cases.length).toBeGreaterThan(2000);

    const baseUrl = `http://127.0.0.1:${pipeline.service.port}`;
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const c = cases[next++]!;
        const response = await fetch(`${baseUrl}${c.endpoint.path}`, {
          method: c.endpoint.method.toUpperCase(),
          headers: c.headers,
          body: JSON.stringify(c.body),
        });
        const body = (await response.json()) as { message?: unknown; problems?: unknown };
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const problem = mismatch(c, response.status, body);
        if (problem)
          failures.push(
            `${c.endpoint.method.toUpperCase()} ${c.endpoint.path} ${JSON.stringify(c.body)}: ${problem}`,
          );
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));

    expect(failures.slice(0, 5)).toEqual([]);
    expect([...statuses.keys()].sort()).toEqual([400, 401, 403]);
    expect(await counts()).toEqual(before);
    // The bus flows (a valid change arrives), and nothing from the refused requests went before it.
    await pipeline.as(tokens.admin).post('/tokens', { name: 'marker', role: 'auditor' }).expect(201);
    await waitFor('the marker event', () =>
      fake.received.slice(eventsBefore).some((e) => e.type === 'api.action.performed'),
    );
    const emitted = fake.received.slice(eventsBefore).map((e) => e.type);
    expect(emitted.filter((type) => type !== 'api.access.denied')).toEqual(['api.action.performed']);
    // Every 401/403 is recorded, identical ones counted together: far fewer records than refusals.
    const refusals = (statuses.get(401) ?? 0) + (statuses.get(403) ?? 0);
    const denied = emitted.filter((type) => type === 'api.access.denied').length;
    expect(denied).toBeGreaterThan(0);
    expect(denied).toBeLessThan(refusals / 10);
  });

  it('records each refused call for the audit log: who, from where, what, why; repeats counted, not repeated', async () => {
    const path = `/runs/${randomUUID()}`;
    for (let i = 0; i < 5; i += 1) expect((await pipeline.as('cvy_never-issued').get(path)).status).toBe(401);
    const forbiddenCall = await pipeline
      .as(tokens.deployer)
      .post('/tokens')
      .send({ name: 'x', role: 'admin' });
    expect(forbiddenCall.status).toBe(403);

    const ofPath = (p: string) => fake.of('api.access.denied').filter((e) => e.data.path === p);
    const unknown = await waitFor('the 401 record', () => ofPath(path)[0]);
    expect(unknown.actor).toBe('anonymous');
    expect(unknown.data).toMatchObject({
      method: 'GET',
      status: 401,
      reason: 'unknown or revoked API token',
      caller: null,
      role: null,
      count: 1,
    });
    expect(unknown.data.remoteAddress).toMatch(/127\.0\.0\.1/);
    const refusedRole = await waitFor('the 403 record', () =>
      fake
        .of('api.access.denied')
        .find((e) => e.data.path === '/tokens' && e.data.caller === 'deployer-holder'),
    );
    expect(refusedRole.actor).toBe('deployer-holder');
    expect(refusedRole.data).toMatchObject({ method: 'POST', status: 403, role: 'deployer' });
    expect(refusedRole.data.reason).toContain('role deployer may not POST /tokens');
    // The four repeats of the 401 wait to be written as one record when their minute is over.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(ofPath(path)).toHaveLength(1);
  });

  it('says why a token is refused', async () => {
    const none = await pipeline.as(null).get('/services');
    expect(none.status).toBe(401);
    expect(none.body.message).toBe('no API token: send Authorization: Bearer <token>');
    const unknown = await pipeline.as('cvy_unknown').get('/services');
    expect(unknown.body.message).toBe('unknown or revoked API token');
    const revokable = await pipeline
      .as(tokens.admin)
      .post('/tokens', { name: 'temp', role: 'auditor' })
      .expect(201);
    await pipeline.as(revokable.body.token).get('/services').expect(200);
    await pipeline.as(tokens.admin).delete(`/tokens/${revokable.body.id}`).expect(200);
    expect((await pipeline.as(revokable.body.token).get('/services')).status).toBe(401);
    const listed = await pipeline.as(tokens.admin).get('/tokens').expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(revokable.body.token);
  });

  it('answers a body that is not JSON with a 400 in JSON', async () => {
    const response = await pipeline
      .as(tokens.deployer)
      .post('/promotions')
      .set('Content-Type', 'application/json')
      .send('{"service": ');
    expect(response.status).toBe(400);
    expect(response.body.statusCode).toBe(400);
  });
});
