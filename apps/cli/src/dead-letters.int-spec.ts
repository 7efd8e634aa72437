import { randomUUID } from 'node:crypto';
import { Controller, type DynamicModule } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import amqplib from 'amqplib';
import type { EventMap } from '@conveyor/contracts';
import { EVENTS_EXCHANGE, EventContext, OnEvent, TransactionalBus } from '@conveyor/messaging';
import { startService, testServiceEnv, type RunningService } from '@conveyor/service-kit';
import {
  createTestDatabase,
  createTestVhost,
  waitFor,
  type TestDatabase,
  type TestVhost,
} from '@conveyor/testing';
import { conveyor } from './testing/cli-process';
import { ADMIN_TOKEN, startPipelineProcess, type PipelineProcess } from './testing/pipeline-process';

const handled: string[] = [];
let fixed = false;

@Controller()
class ShelfHandlers {
  @OnEvent('deployment.pause.requested')
  async onPause(@Payload() data: EventMap['deployment.pause.requested'], @Ctx() ctx: EventContext) {
    if (!fixed) throw new Error(`cannot pause ${data.deploymentId} yet`);
    handled.push(ctx.envelope.id);
  }
}
class ShelfModule {}
const shelfModule = (kit: DynamicModule): DynamicModule => ({
  module: ShelfModule,
  imports: [kit],
  controllers: [ShelfHandlers],
});

describe('conveyor dead-letters against a real broker, pipeline and service', () => {
  let vhost: TestVhost;
  let database: TestDatabase;
  let serviceDatabase: TestDatabase;
  let pipeline: PipelineProcess;
  let shelf: RunningService;
  let env: Record<string, string>;
  const dlq = 'conveyor.shelf.dead-letter';

  beforeAll(async () => {
    [vhost, database, serviceDatabase] = await Promise.all([
      createTestVhost(),
      createTestDatabase(),
      createTestDatabase(),
    ]);
    await vhost.allowTestServices('pipeline', ['shelf']);
    pipeline = await startPipelineProcess(vhost.urlFor('pipeline'), database.url);
    shelf = await startService(
      { name: 'shelf', schema: 'shelf', defaultPort: 0, module: shelfModule },
      testServiceEnv(vhost.urlFor('pipeline'), serviceDatabase.url, { AMQP_RETRY_DELAYS_MS: [100] }),
    );
    env = {
      CONVEYOR_BROKER_URL: 'http://guest:guest@127.0.0.1:15672',
      CONVEYOR_BROKER_VHOST: vhost.name,
      CONVEYOR_URL: pipeline.url,
      CONVEYOR_TOKEN: ADMIN_TOKEN,
    };
  }, 90_000);

  afterAll(async () => {
    await shelf?.close().catch(() => undefined);
    await pipeline?.stop();
    await Promise.all([vhost?.delete(), database?.drop(), serviceDatabase?.drop()]);
  });

  it('lists, shows and replays a dead letter, and the replay request names who asked', async () => {
    // Listen for the replay request as the audit log would (it binds everything).
    const listener = await amqplib.connect(vhost.adminUrl);
    const channel = await listener.createChannel();
    const { queue: requests } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(requests, EVENTS_EXCHANGE, 'deadletter.replay.requested');

    await shelf.app.get(TransactionalBus).transaction(async (unit) => {
      unit.emit('deployment.pause.requested', { deploymentId: randomUUID() });
    });
    await waitFor('the event dead-lettered', async () => (await vhost.queueDepth(dlq)) === 1, {
      timeoutMs: 20_000,
    });
    const [letter] = await vhost.peek(dlq, 1);
    const id = letter.messageId ?? '';

    const queues = await conveyor(['dead-letters', 'list', '--json'], env);
    expect(queues.code).toBe(0);
    expect(JSON.parse(queues.stdout)).toEqual(expect.arrayContaining([{ name: dlq, messages: 1 }]));

    const letters = await conveyor(['dead-letters', 'list', '--queue', dlq], env);
    expect(letters.code).toBe(0);
    expect(letters.stdout).toContain(id);
    expect(letters.stdout).toContain('deployment.pause.requested');

    const shown = await conveyor(['dead-letters', 'show', id], env);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`reason        handler failed after 3 attempt(s): cannot pause`);
    expect(shown.stdout).toContain('published by  conveyor-pipeline');

    const missing = await conveyor(['dead-letters', 'show', randomUUID()], env);
    expect(missing.code).toBe(3);

    fixed = true;
    const replay = await conveyor(['dead-letters', 'replay', id], env);
    expect(replay.stderr).toBe('');
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain(`replay of ${id} from ${dlq} requested from shelf`);
    await waitFor('the replayed event handled', async () => handled.includes(id), { timeoutMs: 20_000 });
    expect(await vhost.peek(dlq, 5)).toEqual([]);

    let request: amqplib.GetMessage | false = false;
    await waitFor('the replay request on the bus', async () => {
      request = await channel.get(requests, { noAck: true });
      return request !== false;
    });
    const envelope = JSON.parse((request as unknown as amqplib.GetMessage).content.toString()) as {
      actor: string;
      data: unknown;
    };
    expect(envelope.data).toEqual({ service: 'shelf', queue: dlq, messageId: id, all: false });
    expect(envelope.actor).not.toBe('');
    await listener.close();
  }, 120_000);

  it('refuses --all without --queue, and both an id and --all', async () => {
    expect((await conveyor(['dead-letters', 'replay', '--all'], env)).code).toBe(2);
    const both = await conveyor(['dead-letters', 'replay', randomUUID(), '--all', '--queue', dlq], env);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give a message id or --all');
  });
});
