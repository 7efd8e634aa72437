import { randomUUID } from 'node:crypto';
import { connect, type ChannelModel, type Options } from 'amqplib';
import {
  createTestDatabase,
  createTestVhost,
  waitFor,
  type PeekedMessage,
  type TestDatabase,
  type TestVhost,
} from '@conveyor/testing';
import { newTestApiToken, seedApiToken, startService, type RunningService } from '@conveyor/service-kit';
import type { SigningKeyPair } from '@conveyor/signing-keys';
import { deadLetterQueueName, EVENTS_EXCHANGE } from '@conveyor/messaging';
import { orchestratorService } from '../orchestrator.boot';
import { ScriptedParticipants, type ParticipantScript } from '../testing/scripted-participants';
import {
  SERVERS,
  orchestratorTestEnv,
  parsedEnv,
  rolloutRequest,
  signingKeys,
} from '../testing/orchestrator-harness';

/**
 * Attacks on the bus with one broker credential each, against the real broker (with the
 * generated least-privilege users) and the real orchestrator. Each must be refused — by the
 * broker, or by the orchestrator's consumer, which dead-letters it with the reason — and change
 * nothing: no deployment row, no agent command, no deployment event.
 */
describe('red team: forged producers on the bus', () => {
  const reader = newTestApiToken('rita@example.com', 'deployer');
  const DEAD_LETTERS = deadLetterQueueName('orchestrator');
  let vhost: TestVhost;
  let database: TestDatabase;
  let keys: SigningKeyPair;
  let orchestrator: RunningService;
  let participants: ParticipantScript;
  let scripted: ScriptedParticipants;
  const connections: ChannelModel[] = [];

  beforeAll(async () => {
    [vhost, database] = await Promise.all([createTestVhost('conveyor-red-team'), createTestDatabase()]);
    keys = signingKeys();
    participants = { silent: new Set(), replyDelayMs: 20 };
    scripted = new ScriptedParticipants(SERVERS, keys.publicKeyPem, participants);
    await scripted.start(vhost, database.url);
    orchestrator = await startService(
      orchestratorService,
      parsedEnv(orchestratorTestEnv(vhost.urlFor('orchestrator'), database.url, keys.privateKeyPem)),
    );
    // A person's token, to read deployments back (GET /deployments/:id needs one).
    await seedApiToken(orchestrator.app, reader);
    await vhost.addAgent('web-1');
    await vhost.addAgent('web-2');
  });

  afterAll(async () => {
    await Promise.allSettled(connections.map((connection) => connection.close()));
    await orchestrator?.close();
    await scripted?.stop();
    await Promise.all([vhost?.delete(), database?.drop()]);
  });

  async function as(url: string): Promise<ChannelModel> {
    const connection = await connect(url);
    connection.on('error', () => undefined);
    connections.push(connection);
    return connection;
  }

  type Outcome = { ok: true } | { ok: false; error: string };

  /** Publishes one message with confirms; reports whether the broker took it or closed the channel. */
  async function publishRaw(
    connection: ChannelModel,
    routingKey: string,
    body: unknown,
    properties: Options.Publish,
  ): Promise<Outcome> {
    const channel = await connection.createConfirmChannel();
    const closed = new Promise<Outcome>((resolve) =>
      channel.on('error', (error: Error) => resolve({ ok: false, error: error.message })),
    );
    const published = new Promise<Outcome>((resolve) => {
      channel.publish(
        EVENTS_EXCHANGE,
        routingKey,
        Buffer.from(JSON.stringify(body)),
        { persistent: true, contentType: 'application/json', messageId: randomUUID(), ...properties },
        (error) => resolve(error ? { ok: false, error: String(error) } : { ok: true }),
      );
    });
    const outcome = await Promise.race([published, closed]);
    // A confirm can arrive before the broker's channel.close for an access refusal: wait a moment for it.
    const late = await Promise.race([
      closed,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 200)),
    ]);
    if (late !== null) return late;
    await channel.close().catch(() => undefined);
    return outcome;
  }

  function envelope(type: string, data: unknown) {
    return {
      specversion: '1.0',
      id: randomUUID(),
      type,
      source: 'pipeline',
      time: new Date().toISOString(),
      subject: null,
      correlationid: randomUUID(),
      causationid: null,
      actor: 'user:mallory',
      datacontenttype: 'application/json',
      data,
    };
  }

  async function deadLetterFor(messageId: string): Promise<PeekedMessage> {
    return waitFor(
      `dead letter of ${messageId}`,
      async () => (await vhost.peek(DEAD_LETTERS, 100)).find((message) => message.messageId === messageId),
      { timeoutMs: 10_000 },
    );
  }

  async function deploymentStatus(id: string): Promise<number> {
    const response = await fetch(`http://127.0.0.1:${orchestrator.port}/deployments/${id}`, {
      headers: { authorization: `Bearer ${reader.secret}` },
    });
    return response.status;
  }

  /**
   * Nothing happened: no deployment row, and (the control case runs last) no agent command signed,
   * no drain asked and no deployment event at all so far.
   */
  async function expectNothingFor(deploymentId: string): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await deploymentStatus(deploymentId)).toBe(404);
    expect(scripted.recorded.agentSteps).toEqual([]);
    expect(scripted.recorded.commandRejections).toEqual([]);
    expect(scripted.recorded.drains).toEqual([]);
    expect(scripted.events()).toEqual([]);
  }

  it("an agent's user publishing routing key agent.heartbeat with body type deployment.requested is refused, dead-lettered with the reason, and starts nothing", async () => {
    const request = rolloutRequest('6.6.6');
    const agent = await as(vhost.urlFor('agent:web-1'));
    const messageId = randomUUID();
    const body = envelope('deployment.requested', request);

    // The broker lets it through: agent.heartbeat is a key every agent may publish.
    expect(
      await publishRaw(agent, 'agent.heartbeat', body, { messageId, userId: 'conveyor-agent-web-1' }),
    ).toEqual({
      ok: true,
    });

    const dead = await deadLetterFor(messageId);
    expect(dead.headers['x-conveyor-refused']).toBe('routing_key_mismatch');
    expect(dead.headers['x-conveyor-error']).toBe(
      'refused (routing_key_mismatch): routing key "agent.heartbeat" is not the envelope\'s type "deployment.requested"',
    );
    expect(dead.headers['x-conveyor-user-id']).toBe('conveyor-agent-web-1');
    await expectNothingFor(request.deploymentId);
  });

  it("an agent's user reporting agent.deploy.succeeded in another node's name is refused", async () => {
    const agent = await as(vhost.urlFor('agent:web-1'));
    const messageId = randomUUID();
    const deploymentId = randomUUID();
    const report = {
      commandId: randomUUID(),
      deploymentId,
      stepId: `${deploymentId}:deploy:web-2`,
      nodeId: 'web-2',
      durationMs: 5,
    };
    expect(
      await publishRaw(agent, 'agent.deploy.succeeded', envelope('agent.deploy.succeeded', report), {
        messageId,
        userId: 'conveyor-agent-web-1',
      }),
    ).toEqual({ ok: true });

    const dead = await deadLetterFor(messageId);
    expect(dead.headers['x-conveyor-refused']).toBe('wrong_agent');
    expect(dead.headers['x-conveyor-error']).toBe(
      'refused (wrong_agent): agent.deploy.succeeded for node "web-2" was published by conveyor-agent-web-1; only conveyor-agent-web-2 may publish it',
    );
    await expectNothingFor(deploymentId);
  });

  it("a service's user smuggling deployment.requested under a key it owns (the verifier's verification.passed) is refused", async () => {
    const request = rolloutRequest('6.6.5');
    const verifier = await as(vhost.urlFor('verifier'));
    const messageId = randomUUID();
    // The orchestrator is bound to verification.passed, and the verifier may publish it.
    expect(
      await publishRaw(verifier, 'verification.passed', envelope('deployment.requested', request), {
        messageId,
        userId: 'conveyor-verifier',
      }),
    ).toEqual({ ok: true });
    const dead = await deadLetterFor(messageId);
    expect(dead.headers['x-conveyor-refused']).toBe('routing_key_mismatch');
    await expectNothingFor(request.deploymentId);
  });

  it("an agent's user sending heartbeats in another node's name is refused", async () => {
    const agent = await as(vhost.urlFor('agent:web-1'));
    const messageId = randomUUID();
    const heartbeat = {
      nodeId: 'web-3',
      facts: { service: 'billing' },
      currentVersion: '9.9.9',
      sequence: 1,
      intervalMs: 500,
    };
    expect(
      await publishRaw(agent, 'agent.heartbeat', envelope('agent.heartbeat', heartbeat), {
        messageId,
        userId: 'conveyor-agent-web-1',
      }),
    ).toEqual({ ok: true });
    const dead = await deadLetterFor(messageId);
    expect(dead.headers['x-conveyor-refused']).toBe('wrong_agent');
    expect(dead.headers['x-conveyor-user-id']).toBe('conveyor-agent-web-1');
  });

  it('a message without user_id is refused, even on the right key from the right user', async () => {
    const request = rolloutRequest('6.6.7');
    const pipeline = await as(vhost.urlFor('pipeline'));
    const messageId = randomUUID();
    expect(
      await publishRaw(pipeline, 'deployment.requested', envelope('deployment.requested', request), {
        messageId,
      }),
    ).toEqual({ ok: true });
    const dead = await deadLetterFor(messageId);
    expect(dead.headers['x-conveyor-refused']).toBe('no_user_id');
    await expectNothingFor(request.deploymentId);
  });

  it('guest (or any user that is not the producer) publishing a valid deployment.requested is refused', async () => {
    const request = rolloutRequest('6.6.8');
    const guest = await as(vhost.adminUrl);
    const messageId = randomUUID();
    expect(
      await publishRaw(guest, 'deployment.requested', envelope('deployment.requested', request), {
        messageId,
        userId: 'guest',
      }),
    ).toEqual({ ok: true });
    const dead = await deadLetterFor(messageId);
    expect(dead.headers['x-conveyor-refused']).toBe('wrong_producer');
    expect(dead.headers['x-conveyor-user-id']).toBe('guest');
    await expectNothingFor(request.deploymentId);
  });

  it('a service user publishing a routing key it does not own is refused by the broker (topic permission)', async () => {
    const request = rolloutRequest('6.6.9');
    const verifier = await as(vhost.urlFor('verifier'));
    const outcome = await publishRaw(
      verifier,
      'deployment.requested',
      envelope('deployment.requested', request),
      {
        userId: 'conveyor-verifier',
      },
    );
    expect(outcome).toEqual({
      ok: false,
      error: expect.stringMatching(/ACCESS_REFUSED.*deployment\.requested/),
    });
    // An agent may not publish a command either.
    const agent = await as(vhost.urlFor('agent:web-2'));
    expect(
      await publishRaw(agent, 'agent.deploy.requested', envelope('agent.deploy.requested', {}), {
        userId: 'conveyor-agent-web-2',
      }),
    ).toEqual({ ok: false, error: expect.stringMatching(/ACCESS_REFUSED.*agent\.deploy\.requested/) });
    await expectNothingFor(request.deploymentId);
  });

  it("a publish with a forged user_id (the pipeline's, from an agent's connection) is refused by the broker", async () => {
    const request = rolloutRequest('6.7.0');
    const agent = await as(vhost.urlFor('agent:web-1'));
    const outcome = await publishRaw(agent, 'agent.heartbeat', envelope('deployment.requested', request), {
      userId: 'conveyor-pipeline',
    });
    expect(outcome).toEqual({
      ok: false,
      error: expect.stringMatching(/PRECONDITION_FAILED.*user_id property set to 'conveyor-pipeline'/),
    });
    await expectNothingFor(request.deploymentId);
  });

  it("control: the same request from the pipeline's own user, with its key and user_id, starts the deployment", async () => {
    const request = rolloutRequest('6.7.1');
    const pipeline = await as(vhost.urlFor('pipeline'));
    expect(
      await publishRaw(pipeline, 'deployment.requested', envelope('deployment.requested', request), {
        userId: 'conveyor-pipeline',
      }),
    ).toEqual({ ok: true });
    await waitFor(
      'the deployment to exist',
      async () => ((await deploymentStatus(request.deploymentId)) === 200 ? true : undefined),
      { timeoutMs: 10_000 },
    );
  });
});
