import {
  contractsByType,
  expectedPublisher,
  participantOfBrokerUser,
  type EventEnvelope,
  type Participant,
} from '@conveyor/contracts';

/** Why a message was refused: it never reaches a handler, it is dead-lettered with the reason. */
export type RefusalCode =
  /** The routing key (what topic permissions check) is not the envelope's type (what handlers see). */
  | 'routing_key_mismatch'
  /** No AMQP user_id: the broker cannot vouch for who published it. */
  | 'no_user_id'
  /** user_id is not the broker user of the event's declared producer. */
  | 'wrong_producer'
  /** An agent's event published by another node's user (or naming no node). */
  | 'wrong_agent'
  /** An event of a type this build does not know, published by a user that is no known producer's. */
  | 'unknown_publisher';

export type DeliveryAuthentication = { ok: true } | { ok: false; code: RefusalCode; reason: string };

export interface DeliveryFacts {
  /** The routing key the message was published with. */
  routingKey: string;
  /** The AMQP `user_id` property: RabbitMQ guarantees it is the publishing connection's user. */
  userId: string | undefined;
  /** The envelope as decoded and validated against its contract. */
  envelope: EventEnvelope;
}

/**
 * Decides whether a validated message may be handled: its routing key is its type, and it was
 * published by the declared producer's broker user (an agent's event by the user of the node it
 * names). Pure: the consumer refuses whatever this refuses.
 */
export function authenticateDelivery(facts: DeliveryFacts): DeliveryAuthentication {
  const { envelope, routingKey, userId } = facts;
  if (routingKey !== envelope.type) {
    return {
      ok: false,
      code: 'routing_key_mismatch',
      reason: `routing key "${routingKey}" is not the envelope's type "${envelope.type}"`,
    };
  }
  const contract = contractsByType.get(envelope.type);
  if (contract === undefined) {
    // decodeEnvelope already refuses unknown types; kept so this function stands on its own.
    return { ok: false, code: 'wrong_producer', reason: `unknown event type "${envelope.type}"` };
  }
  const expected = expectedPublisher(contract, envelope.data);
  if (!expected.ok) return { ok: false, code: 'wrong_agent', reason: expected.reason };
  if (userId === undefined || userId === '') {
    return {
      ok: false,
      code: 'no_user_id',
      reason: `${envelope.type} carries no user_id; only ${expected.user} may publish it`,
    };
  }
  if (userId !== expected.user) {
    return {
      ok: false,
      code: contract.producer === 'agent' ? 'wrong_agent' : 'wrong_producer',
      reason:
        contract.producer === 'agent'
          ? `${envelope.type} for node "${(envelope.data as { nodeId: string }).nodeId}" was published by ${userId}; only ${expected.user} may publish it`
          : `${envelope.type} was published by ${userId}; only its producer ${expected.user} may publish it`,
    };
  }
  return { ok: true };
}

export type UnknownTypeAuthentication =
  | { ok: true; publisher: Participant }
  | { ok: false; code: RefusalCode; reason: string };

/**
 * Decides whether an event of a type this build does not know (a newer producer's, during a
 * rolling upgrade of Conveyor) may be recorded: its routing key is its type, and it was published
 * by some known producer's broker user (a service's, or an agent's). No contract says which
 * producer, so the publisher is named in what is recorded. Pure.
 */
export function authenticateUnknownTypeDelivery(facts: {
  routingKey: string;
  userId: string | undefined;
  type: string;
}): UnknownTypeAuthentication {
  const { routingKey, userId, type } = facts;
  if (routingKey !== type) {
    return {
      ok: false,
      code: 'routing_key_mismatch',
      reason: `routing key "${routingKey}" is not the envelope's type "${type}"`,
    };
  }
  if (userId === undefined || userId === '') {
    return { ok: false, code: 'no_user_id', reason: `${type} (unknown type) carries no user_id` };
  }
  const publisher = participantOfBrokerUser(userId);
  if (publisher === undefined) {
    return {
      ok: false,
      code: 'unknown_publisher',
      reason: `${type} (unknown type) was published by ${userId}, which is no producer's broker user`,
    };
  }
  return { ok: true, publisher };
}
