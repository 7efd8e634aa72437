import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import amqplib from 'amqplib';
import { DataSource } from 'typeorm';
import { EVENTS_EXCHANGE } from '@conveyor/messaging';
import {
  ApiRoles,
  CurrentApiCaller,
  hashApiToken,
  startService,
  testServiceEnv,
  type ApiCaller,
  type RunningService,
} from '@conveyor/service-kit';
import {
  createTestDatabase,
  createTestVhost,
  waitFor,
  type TestDatabase,
  type TestVhost,
} from '@conveyor/testing';
import { ADMIN_TOKEN, startPipeline, type StartedPipeline } from '../testing/pipeline-harness';

/** A service like the audit log or the pool manager: one route for auditors, authenticated by service-kit. */
@Controller('records')
class RecordsController {
  @Get()
  @ApiRoles('auditor', 'admin')
  list(@CurrentApiCaller() caller: ApiCaller): { reader: string; role: string } {
    return { reader: caller.name, role: caller.role };
  }
}

@Module({})
class ReaderModule {
  static register(kit: DynamicModule): DynamicModule {
    return { module: ReaderModule, imports: [kit], controllers: [RecordsController] };
  }
}

function startReader(name: string, amqpUrl: string, databaseUrl: string): Promise<RunningService> {
  return startService(
    { name, schema: name, defaultPort: 0, apiAuth: {}, module: (kit) => ReaderModule.register(kit) },
    testServiceEnv(amqpUrl, databaseUrl),
  );
}

/**
 * Red team: the tokens the pipeline issues reach every other service as events carrying only
 * their hash; a revocation reaches them too, and a service that was not listening learns both
 * from the pipeline's periodic announcement. No service reads the pipeline's tables.
 */
describe('red team: API tokens from the pipeline to the other services', () => {
  let vhost: TestVhost;
  let database: TestDatabase;
  let db: DataSource;
  let pipeline: StartedPipeline;
  let reader: RunningService;
  let latecomer: RunningService | undefined;
  let spy: amqplib.ChannelModel;
  let spyChannel: amqplib.Channel;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const read = (service: RunningService, token: string | null) =>
    fetch(`http://127.0.0.1:${service.port}/records`, {
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
    });
  const known = async (schema: string, name: string, revoked: boolean) =>
    (
      (await db.query(
        `SELECT count(*)::int AS n FROM ${schema}.api_identities WHERE name = $1 AND (revoked_at IS NOT NULL) = $2`,
        [name, revoked],
      )) as { n: number }[]
    )[0]?.n === 1;

  beforeAll(async () => {
    [vhost, database] = await Promise.all([createTestVhost(), createTestDatabase()]);
    pipeline = await startPipeline(vhost.urlFor('pipeline'), database.url, {
      PIPELINE_IDENTITY_ANNOUNCE_MS: 1_000,
    });
    // Two small services that only read: they run as one producer's broker user in this vhost.
    await vhost.allowTestServices('orchestrator', ['reader', 'latecomer']);
    reader = await startReader('reader', vhost.urlFor('orchestrator'), database.url);
    db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    // Everything on the bus, as a broker user that may read all of it would see it.
    spy = await amqplib.connect(vhost.adminUrl);
    spyChannel = await spy.createChannel();
    await spyChannel.assertQueue('spy', { exclusive: true });
    await spyChannel.bindQueue('spy', EVENTS_EXCHANGE, '#');
    for (const [name, role] of [
      ['alice@example.com', 'auditor'],
      ['bob@example.com', 'deployer'],
    ] as const) {
      const created = await pipeline.as(ADMIN_TOKEN).post('/tokens', { name, role }).expect(201);
      tokens[name] = (created.body as { token: string }).token;
      ids[name] = (created.body as { id: string }).id;
    }
  });

  afterAll(async () => {
    await spy?.close();
    await latecomer?.close();
    await reader?.close();
    await pipeline?.service.close();
    await db?.destroy();
    await Promise.all([vhost?.delete(), database?.drop()]);
  });

  it('lets an auditor the pipeline issued read another service, as themself; a deployer gets 403', async () => {
    await waitFor('the reader to know alice', () => known('reader', 'alice@example.com', false));
    const alice = await read(reader, tokens['alice@example.com']!);
    expect(alice.status).toBe(200);
    expect(await alice.json()).toEqual({ reader: 'alice@example.com', role: 'auditor' });
    await waitFor('the reader to know bob', () => known('reader', 'bob@example.com', false));
    const bob = await read(reader, tokens['bob@example.com']!);
    expect(bob.status).toBe(403);
    expect(((await bob.json()) as { message: string }).message).toBe(
      'role deployer may not GET /records; allowed roles: auditor, admin',
    );
    // The pipeline's bootstrap admin token is not announced: it works on the pipeline only.
    expect((await read(reader, ADMIN_TOKEN)).status).toBe(401);
  });

  it('never puts a secret on the bus: the events carry its sha256', async () => {
    const seen: string[] = [];
    await waitFor('the issued events on the bus', async () => {
      for (let message = await spyChannel.get('spy'); message; message = await spyChannel.get('spy')) {
        seen.push(message.content.toString('utf8'));
      }
      return seen.filter((text) => text.includes('"identity.token.issued"')).length === 2;
    });
    const text = seen.join('\n');
    for (const secret of Object.values(tokens)) {
      expect(text).not.toContain(secret);
      expect(text).toContain(hashApiToken(secret));
    }
  });

  it('refuses a revoked token on the other service, and a service that started late learns both from the announcement', async () => {
    await pipeline.as(ADMIN_TOKEN).delete(`/tokens/${ids['alice@example.com']!}`).expect(200);
    await waitFor('the reader to learn the revocation', () => known('reader', 'alice@example.com', true));
    expect((await read(reader, tokens['alice@example.com']!)).status).toBe(401);

    // A new service: its queue did not exist when the tokens were issued or revoked.
    latecomer = await startReader('latecomer', vhost.urlFor('orchestrator'), database.url);
    const started = latecomer;
    await waitFor(
      'the announcement to reach the latecomer',
      () => known('latecomer', 'bob@example.com', false),
      {
        timeoutMs: 15_000,
      },
    );
    await waitFor('the latecomer to know alice revoked', () => known('latecomer', 'alice@example.com', true));
    expect((await read(started, tokens['alice@example.com']!)).status).toBe(401);
    expect((await read(started, tokens['bob@example.com']!)).status).toBe(403);
  });
});
