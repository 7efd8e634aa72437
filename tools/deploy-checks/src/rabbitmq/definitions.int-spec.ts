import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChannelModel, ConsumeMessage } from 'amqplib';
import { generateSigningKeyPair } from '@conveyor/signing-keys';
import { startFleet } from '@conveyor/fleet';
import { serviceQueueArguments, serviceQueueName } from '@conveyor/messaging';
import { readRepoFile } from '../repo-files';
import { attempt, connectAs, management, publishEvent } from './broker-access';
import { definitionsSchema, devPassword, renamedDefinitions } from './definitions.schema';

/**
 * deploy/rabbitmq/definitions.json loaded into the local broker (under a unique vhost and user
 * names, removed afterwards), then used the way each party would.
 */
describe('deploy/rabbitmq/definitions.json on a real broker', () => {
  const suffix = `-${randomBytes(4).toString('hex')}`;
  const vhost = `conveyor-deploy-checks${suffix}`;
  const definitions = renamedDefinitions(
    definitionsSchema.parse(JSON.parse(readRepoFile('deploy', 'rabbitmq', 'definitions.json'))),
    vhost,
    suffix,
  );
  const connections: ChannelModel[] = [];

  async function as(user: string): Promise<ChannelModel> {
    const connection = await connectAs(`${user}${suffix}`, devPassword(user), vhost);
    connection.on('error', () => undefined);
    connections.push(connection);
    return connection;
  }

  beforeAll(async () => {
    await management('POST', '/api/definitions', definitions);
  });

  afterAll(async () => {
    await Promise.allSettled(connections.map((connection) => connection.close()));
    await management('DELETE', `/api/vhosts/${encodeURIComponent(vhost)}`);
    for (const user of definitions.users)
      await management('DELETE', `/api/users/${encodeURIComponent(user.name)}`);
  });

  it('loads: the vhost with its exchanges and queues, and every user can log in with its documented password', async () => {
    const events = (await management(
      'GET',
      `/api/exchanges/${encodeURIComponent(vhost)}/conveyor.events`,
    )) as { type: string };
    expect(events.type).toBe('topic');
    const queues = (await management('GET', `/api/queues/${encodeURIComponent(vhost)}`)) as {
      name: string;
    }[];
    expect(queues.map((queue) => queue.name)).toEqual(
      expect.arrayContaining(['conveyor.orchestrator', 'conveyor.agent.dead-letter']),
    );
    for (const user of [
      'conveyor-admin',
      'conveyor-pipeline',
      'conveyor-orchestrator',
      'conveyor-pool-manager',
      'conveyor-verifier',
      'conveyor-audit',
      'conveyor-agent-web-1',
    ]) {
      await expect(as(user)).resolves.toBeDefined();
    }
  });

  it('refuses an agent publishing a deploy command, and closes its channel', async () => {
    const outcome = await publishEvent(await as('conveyor-agent-web-1'), 'agent.deploy.requested');
    expect(outcome).toEqual({
      ok: false,
      error: expect.stringMatching(/ACCESS_REFUSED.*agent\.deploy\.requested/),
    });
  });

  it('accepts an agent publishing its replies, and refuses it any other event', async () => {
    const agent = await as('conveyor-agent-web-1');
    expect(await publishEvent(agent, 'agent.deploy.succeeded')).toEqual({ ok: true });
    expect(await publishEvent(agent, 'agent.heartbeat')).toEqual({ ok: true });
    expect(await publishEvent(agent, 'deployment.succeeded')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/ACCESS_REFUSED/),
    });
    expect(await publishEvent(agent, 'pool.enable.requested')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/ACCESS_REFUSED/),
    });
  });

  it("lets an agent consume its own queue, bound to the command types only, and refuses it another agent's queue", async () => {
    const web1 = await as('conveyor-agent-web-1');
    const web2 = await as('conveyor-agent-web-2');
    expect(
      await attempt(web2, (channel) => channel.assertQueue('conveyor.agent.web-2', { durable: false })),
    ).toEqual({ ok: true });
    expect(
      await attempt(web1, async (channel) => {
        await channel.assertQueue('conveyor.agent.web-1', { durable: false });
        await channel.bindQueue('conveyor.agent.web-1', 'conveyor.events', 'agent.deploy.requested');
        await channel.consume('conveyor.agent.web-1', () => undefined);
      }),
    ).toEqual({ ok: true });
    expect(
      await attempt(web1, (channel) => channel.consume('conveyor.agent.web-2', () => undefined)),
    ).toMatchObject({
      ok: false,
      error: expect.stringMatching(/ACCESS_REFUSED.*conveyor\.agent\.web-2/),
    });
    // Listening to everything (or to other services' events) is refused by the topic read permission.
    expect(
      await attempt(web1, (channel) => channel.bindQueue('conveyor.agent.web-1', 'conveyor.events', '#')),
    ).toMatchObject({ ok: false });
    expect(
      await attempt(web1, (channel) =>
        channel.bindQueue('conveyor.agent.web-1', 'conveyor.events', 'deployment.requested'),
      ),
    ).toMatchObject({ ok: false });
    // Its own queue is its own to remove (the real agent declares it below, with its own arguments).
    expect(await attempt(web1, (channel) => channel.deleteQueue('conveyor.agent.web-1'))).toEqual({
      ok: true,
    });
  });

  it('lets an agent check the shared exchange and dead-letter queue, never declare or delete them', async () => {
    const agent = await as('conveyor-agent-web-1');
    expect(await attempt(agent, (channel) => channel.checkExchange('conveyor.events'))).toEqual({ ok: true });
    expect(await attempt(agent, (channel) => channel.checkQueue('conveyor.agent.dead-letter'))).toEqual({
      ok: true,
    });
    expect(
      await attempt(agent, (channel) =>
        channel.assertExchange('conveyor.events', 'topic', { durable: true }),
      ),
    ).toMatchObject({ ok: false });
    expect(
      await attempt(agent, (channel) => channel.deleteQueue('conveyor.agent.dead-letter')),
    ).toMatchObject({ ok: false });
  });

  it('accepts agent commands from the orchestrator only', async () => {
    expect(await publishEvent(await as('conveyor-orchestrator'), 'agent.deploy.requested')).toEqual({
      ok: true,
    });
    expect(await publishEvent(await as('conveyor-pipeline'), 'agent.deploy.requested')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/ACCESS_REFUSED.*agent\.deploy\.requested/),
    });
    expect(await publishEvent(await as('conveyor-pipeline'), 'deployment.requested')).toEqual({ ok: true });
    // Nor may a service forge an agent's reply.
    expect(await publishEvent(await as('conveyor-orchestrator'), 'agent.deploy.succeeded')).toMatchObject({
      ok: false,
    });
  });

  it('lets a service declare its own queue with the arguments the code uses, and no other service queue', async () => {
    const orchestrator = await as('conveyor-orchestrator');
    const declared = await attempt(orchestrator, (channel) =>
      channel.assertQueue(serviceQueueName('orchestrator'), {
        durable: true,
        arguments: serviceQueueArguments({ service: 'orchestrator', maxAttempts: 5 }),
      }),
    );
    expect(declared).toEqual({ ok: true });
    expect(
      await attempt(orchestrator, (channel) =>
        channel.consume(serviceQueueName('pipeline'), () => undefined),
      ),
    ).toMatchObject({ ok: false });
  });

  it('runs the real agent under its least-privileged user: it starts, binds its queue and registers', async () => {
    const orchestrator = await as('conveyor-orchestrator');
    const channel = await orchestrator.createChannel();
    await channel.bindQueue('conveyor.orchestrator', 'conveyor.events', 'agent.registered');
    const registered = new Promise<ConsumeMessage>((resolve) => {
      void channel.consume('conveyor.orchestrator', (message) => {
        if (message !== null && message.fields.routingKey === 'agent.registered') resolve(message);
      });
    });
    const baseDir = await mkdtemp(join(tmpdir(), 'deploy-checks-'));
    const fleet = await startFleet({
      n: 1,
      baseDir,
      amqpUrl: `amqp://conveyor-agent-web-1${suffix}:${devPassword('conveyor-agent-web-1')}@127.0.0.1:5672/${encodeURIComponent(vhost)}`,
      trustedKeys: [generateSigningKeyPair().publicKeyPem],
    });
    try {
      const message = await registered;
      expect(JSON.parse(message.content.toString('utf8'))).toMatchObject({
        type: 'agent.registered',
        data: { nodeId: 'web-1' },
      });
      const bindings = (await management(
        'GET',
        `/api/queues/${encodeURIComponent(vhost)}/conveyor.agent.web-1/bindings`,
      )) as { routing_key: string }[];
      expect(
        bindings
          .map((binding) => binding.routing_key)
          .filter((key) => key.startsWith('agent.'))
          .sort(),
      ).toEqual([
        'agent.deploy.requested',
        'agent.discovery.requested',
        'agent.migrate.requested',
        'agent.rollback.requested',
        'agent.state.requested',
      ]);
    } finally {
      await fleet.stop();
      await rm(baseDir, { recursive: true, force: true });
    }
  }, 120_000);
});
