import { randomUUID } from 'node:crypto';
import { decodeEnvelope, type EventEnvelope } from '@conveyor/contracts';
import { authenticateDelivery, authenticateUnknownTypeDelivery } from './delivery-authentication';

function envelope(type: string, data: unknown): EventEnvelope {
  const decoded = decodeEnvelope({
    specversion: '1.0',
    id: randomUUID(),
    type,
    source: 'test',
    time: new Date().toISOString(),
    subject: null,
    correlationid: 'c',
    causationid: null,
    actor: 'alice',
    datacontenttype: 'application/json',
    data,
  });
  if (!decoded.ok) throw new Error(decoded.error);
  return decoded.envelope;
}

const heartbeat = (nodeId: string) =>
  envelope('agent.heartbeat', { nodeId, facts: {}, currentVersion: null, sequence: 1, intervalMs: 1000 });
const abort = envelope('deployment.abort.requested', { deploymentId: randomUUID(), reason: 'x' });

describe('authenticateDelivery', () => {
  it("accepts an event from its producer's user with its own routing key", () => {
    expect(
      authenticateDelivery({ routingKey: abort.type, userId: 'conveyor-pipeline', envelope: abort }),
    ).toEqual({ ok: true });
    expect(
      authenticateDelivery({
        routingKey: 'agent.heartbeat',
        userId: 'conveyor-agent-web-1',
        envelope: heartbeat('web-1'),
      }),
    ).toEqual({ ok: true });
  });

  it('refuses a routing key that is not the envelope type, whoever sent it', () => {
    expect(
      authenticateDelivery({ routingKey: 'agent.heartbeat', userId: 'conveyor-pipeline', envelope: abort }),
    ).toEqual({
      ok: false,
      code: 'routing_key_mismatch',
      reason: 'routing key "agent.heartbeat" is not the envelope\'s type "deployment.abort.requested"',
    });
  });

  it('refuses a message without user_id', () => {
    expect(
      authenticateDelivery({ routingKey: abort.type, userId: undefined, envelope: abort }),
    ).toMatchObject({
      ok: false,
      code: 'no_user_id',
    });
    expect(authenticateDelivery({ routingKey: abort.type, userId: '', envelope: abort })).toMatchObject({
      ok: false,
      code: 'no_user_id',
    });
  });

  it("refuses a service's event from another user (another service, an agent, guest)", () => {
    for (const userId of ['conveyor-orchestrator', 'conveyor-agent-web-1', 'guest', 'conveyor-admin']) {
      expect(authenticateDelivery({ routingKey: abort.type, userId, envelope: abort })).toEqual({
        ok: false,
        code: 'wrong_producer',
        reason: `deployment.abort.requested was published by ${userId}; only its producer conveyor-pipeline may publish it`,
      });
    }
  });

  it("refuses an agent's event published by another node's user or by a service", () => {
    for (const userId of ['conveyor-agent-web-2', 'conveyor-orchestrator', 'conveyor-agent-web-1x']) {
      expect(
        authenticateDelivery({ routingKey: 'agent.heartbeat', userId, envelope: heartbeat('web-1') }),
      ).toMatchObject({ ok: false, code: 'wrong_agent' });
    }
  });
});

describe('authenticateUnknownTypeDelivery (a type this build has no contract for)', () => {
  const type = 'deployment.note.added';

  it("accepts it from any known producer's user, a service's or an agent's, and names the publisher", () => {
    expect(
      authenticateUnknownTypeDelivery({ routingKey: type, userId: 'conveyor-orchestrator', type }),
    ).toEqual({ ok: true, publisher: 'orchestrator' });
    expect(
      authenticateUnknownTypeDelivery({ routingKey: type, userId: 'conveyor-agent-web-1', type }),
    ).toEqual({ ok: true, publisher: 'agent:web-1' });
  });

  it('refuses it when the routing key is not its type, it carries no user_id, or no producer published it', () => {
    expect(
      authenticateUnknownTypeDelivery({ routingKey: 'x.y', userId: 'conveyor-orchestrator', type }),
    ).toMatchObject({ ok: false, code: 'routing_key_mismatch' });
    expect(authenticateUnknownTypeDelivery({ routingKey: type, userId: undefined, type })).toMatchObject({
      ok: false,
      code: 'no_user_id',
    });
    for (const userId of [
      'guest',
      'conveyor-operator',
      'conveyor-agent-',
      'conveyor-agent-../x',
      'orchestrator',
    ]) {
      expect(authenticateUnknownTypeDelivery({ routingKey: type, userId, type })).toMatchObject({
        ok: false,
        code: 'unknown_publisher',
        reason: expect.stringContaining(userId),
      });
    }
  });
});
