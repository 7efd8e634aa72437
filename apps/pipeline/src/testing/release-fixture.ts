import {
  createTestDatabase,
  createTestVhost,
  waitFor,
  type TestDatabase,
  type TestVhost,
  startStandInOrchestrator,
  type StandInOrchestrator,
} from '@conveyor/testing';
import type { EventEnvelope, EventMap } from '@conveyor/contracts';
import { PIPELINE_EVENTS } from './pipeline-events';
import { startPipeline, type StartedPipeline } from './pipeline-harness';

export const sha = (c: string) => c.repeat(64);

export interface ProdRule {
  required?: number;
  separationOfDuties?: boolean;
  expiresAfterHours?: number;
}

/** shop's manifest: dev → staging → prod (prod needs 2 approvals with separation of duties unless told). */
export function shopManifest(
  options: { prod?: ProdRule; order?: ('dev' | 'staging' | 'prod')[]; devPool?: string } = {},
) {
  const sections = {
    dev: {
      pool: options.devPool ?? 'shop-dev',
      servers: [{ id: 'dev-1' }],
      strategy: { batchSize: 1, minHealthy: 0 },
    },
    staging: { pool: 'shop-staging', servers: [{ id: 'stg-1' }], strategy: { batchSize: 1, minHealthy: 0 } },
    prod: {
      pool: 'shop-prod',
      servers: [{ id: 'web-1' }, { id: 'web-2' }],
      strategy: { batchSize: 1, minHealthy: 1 },
      approvals: { required: 2, separationOfDuties: true, expiresAfterHours: 24, ...options.prod },
    },
  };
  const order = options.order ?? ['dev', 'staging', 'prod'];
  return { environments: Object.fromEntries(order.map((name) => [name, sections[name]])) };
}

export type Person = 'jenkins' | 'carol' | 'dave' | 'alice' | 'bob' | 'erin';

/**
 * A pipeline on a real database and vhost, with a fake orchestrator recording what it emits, the
 * people of a release (jenkins: ci, carol: deployer, dave: admin, alice and bob: approvers,
 * erin: auditor) and shop 1.0.0 built and published (sha256 aaaa…). Red-team tests attack it.
 */
export interface ReleaseFixture {
  pipeline: StartedPipeline;
  fake: StandInOrchestrator;
  tokens: Record<Person, string>;
  runId: string;
  as(person: Person): ReturnType<StartedPipeline['as']>;
  /** deployment.requested events for an environment. */
  requestsFor(environment: string): EventEnvelope<'deployment.requested'>[];
  /** Waits for the api.action.performed recorded for `person` that `match` accepts. */
  recorded(
    person: Person,
    match: (data: EventMap['api.action.performed']) => boolean,
  ): Promise<EventMap['api.action.performed']>;
  promoteAndSucceed(environment: string, person?: Person): Promise<string>;
  close(): Promise<void>;
}

export async function startReleaseFixture(): Promise<ReleaseFixture> {
  let vhost: TestVhost | undefined;
  let database: TestDatabase | undefined;
  [vhost, database] = await Promise.all([createTestVhost(), createTestDatabase()]);
  const fake = await startStandInOrchestrator(vhost, PIPELINE_EVENTS);
  const pipeline = await startPipeline(vhost.urlFor('pipeline'), database.url);
  const tokens: Record<Person, string> = {
    jenkins: await pipeline.issueToken('jenkins', 'ci'),
    carol: await pipeline.issueToken('carol', 'deployer'),
    dave: await pipeline.issueToken('dave', 'admin'),
    alice: await pipeline.issueToken('alice', 'approver'),
    bob: await pipeline.issueToken('bob', 'approver'),
    erin: await pipeline.issueToken('erin', 'auditor'),
  };
  const as = (person: Person) => pipeline.as(tokens[person]);
  await as('carol').put('/services/shop', shopManifest()).expect(201);
  const run = await as('jenkins')
    .post('/runs', { service: 'shop', version: '1.0.0', commit: 'c0ffee1', branch: 'main' })
    .expect(201);
  const runId = run.body.id as string;
  await as('jenkins')
    .post(`/runs/${runId}/artifacts`, {
      url: 'https://artifacts.example.com/shop-1.0.0.zip',
      sha256: sha('a'),
      size: 1024,
    })
    .expect(201);
  const requestsFor = (environment: string) =>
    fake.of('deployment.requested').filter((e) => e.data.environment === environment);
  return {
    pipeline,
    fake,
    tokens,
    runId,
    as,
    requestsFor,
    recorded: (person, match) =>
      waitFor(
        `an api.action.performed by ${person}`,
        () => fake.of('api.action.performed').find((e) => e.actor === person && match(e.data))?.data,
      ),
    async promoteAndSucceed(environment, person = 'jenkins') {
      await as(person).post('/promotions', { service: 'shop', version: '1.0.0', environment }).expect(201);
      const [requested] = await waitFor(`deployment.requested for ${environment}`, () => {
        const found = requestsFor(environment);
        return found.length > 0 && found;
      });
      await fake.rollOut(requested!.data, 'succeeded');
      await waitFor(`${environment} deployment to succeed`, async () => {
        const answer = await as('erin').get(`/deployments/${requested!.data.deploymentId}`);
        return answer.body.status === 'succeeded';
      });
      return requested!.data.deploymentId;
    },
    async close() {
      await pipeline.service.close();
      await fake.close();
      await Promise.all([vhost?.delete(), database?.drop()]);
      vhost = undefined;
      database = undefined;
    },
  };
}
