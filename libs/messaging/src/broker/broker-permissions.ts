import {
  agentBrokerUser,
  eventContracts,
  serviceBrokerUser,
  SERVICE_PRODUCERS,
  type Producer,
  type ServiceProducer,
} from '@conveyor/contracts';
import {
  agentQueueName,
  DEAD_LETTER_EXCHANGE,
  deadLetterQueueName,
  EVENTS_EXCHANGE,
  retryQueuePattern,
  serviceQueueName,
} from '../core/topology';

/**
 * What each broker user may do, derived from the contracts. Pure: the shipped
 * deploy/rabbitmq/definitions.json, the agent user template and the test harness's vhosts are
 * all generated from these functions.
 */
export interface VhostPermission {
  user: string;
  vhost: string;
  configure: string;
  write: string;
  read: string;
}

export interface TopicPermission {
  user: string;
  vhost: string;
  exchange: string;
  write: string;
  read: string;
}

export interface UserPermissions {
  user: string;
  permission: VhostPermission;
  topicPermission: TopicPermission;
}

/** Escapes text for a PCRE pattern (RabbitMQ's regular expressions). */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every event type a producer owns, sorted. */
export function typesProducedBy(producer: Producer): string[] {
  return eventContracts
    .filter((contract) => contract.producer === producer)
    .map((contract) => contract.type as string)
    .sort();
}

/** Matches exactly these routing keys (an empty list matches nothing). */
export function exactKeys(types: readonly string[]): string {
  return types.length === 0 ? '^$' : `^(${types.map(escapeRegex).join('|')})$`;
}

/** Anchored alternation of exact names, and optionally of patterns (already regular expressions). */
function exactNames(names: readonly string[], patterns: readonly string[] = []): string {
  return `^(${[...names.map(escapeRegex), ...patterns].join('|')})$`;
}

/** The agent commands (what every agent's queue may be bound to): the orchestrator's agent.* types. */
export function agentCommandTypes(): string[] {
  return typesProducedBy('orchestrator').filter((type) => type.startsWith('agent.'));
}

/**
 * A service's user: configures (declares) only its own queue, dead-letter queue and retry queues
 * (`conveyor.<service>.retry.<n>`); writes to the two exchanges (publish) and its own queues
 * (bind); reads its own queues (consume) and the exchanges (bind). On conveyor.events it may publish exactly the routing keys it produces and
 * bind any key (the audit log reads everything).
 */
export function servicePermissions(service: ServiceProducer, vhost: string): UserPermissions {
  const user = serviceBrokerUser(service);
  const own = [serviceQueueName(service), deadLetterQueueName(service)];
  const withExchanges = [EVENTS_EXCHANGE, DEAD_LETTER_EXCHANGE, ...own];
  const retries = [retryQueuePattern(service)];
  return {
    user,
    permission: {
      user,
      vhost,
      configure: exactNames(own, retries),
      write: exactNames(withExchanges, retries),
      read: exactNames(withExchanges, retries),
    },
    topicPermission: {
      user,
      vhost,
      exchange: EVENTS_EXCHANGE,
      write: exactKeys(typesProducedBy(service)),
      read: '.*',
    },
  };
}

/**
 * One agent's user `conveyor-agent-<nodeId>`: configures only its own queue (the shared exchanges
 * and dead-letter queue are checked passively); binds and consumes its own queue; publishes
 * exactly the agent-produced keys and dead letters; may bind its queue only to agent commands.
 */
export function agentPermissions(nodeId: string, vhost: string): UserPermissions {
  const user = agentBrokerUser(nodeId);
  const ownQueue = escapeRegex(agentQueueName(nodeId));
  return {
    user,
    permission: {
      user,
      vhost,
      configure: `^${ownQueue}$`,
      write: `^(${ownQueue}|${escapeRegex(EVENTS_EXCHANGE)}|${escapeRegex(DEAD_LETTER_EXCHANGE)})$`,
      read: `^(${ownQueue}|${escapeRegex(EVENTS_EXCHANGE)})$`,
    },
    topicPermission: {
      user,
      vhost,
      exchange: EVENTS_EXCHANGE,
      write: exactKeys(typesProducedBy('agent')),
      read: exactKeys(agentCommandTypes()),
    },
  };
}

/** Every service's permissions, in the order of SERVICE_PRODUCERS. */
export function allServicePermissions(vhost: string): UserPermissions[] {
  return SERVICE_PRODUCERS.map((service) => servicePermissions(service, vhost));
}
