import { createHash } from 'node:crypto';
import { SERVICE_PRODUCERS } from '@conveyor/contracts';
import {
  AGENT_DEAD_LETTER_QUEUE,
  DEAD_LETTER_EXCHANGE,
  deadLetterQueueArguments,
  deadLetterQueueName,
  EVENTS_EXCHANGE,
  serviceQueueArguments,
  serviceQueueName,
} from '../core/topology';
import { agentPermissions, allServicePermissions, type UserPermissions } from './broker-permissions';

/** The administrator: the only user with configure on the shared exchanges. Never used by a service. */
export const ADMIN_BROKER_USER = 'conveyor-admin';

export interface BrokerUser {
  name: string;
  password_hash: string;
  hashing_algorithm: 'rabbit_password_hashing_sha256';
  tags: string[];
  limits: Record<string, never>;
}

/** RabbitMQ's definitions format (3.10), the subset Conveyor uses. */
export interface BrokerDefinitions {
  rabbit_version: string;
  rabbitmq_version: string;
  users: BrokerUser[];
  vhosts: { name: string; metadata: { description: string; tags: string[] } }[];
  permissions: UserPermissions['permission'][];
  topic_permissions: UserPermissions['topicPermission'][];
  parameters: never[];
  policies: never[];
  queues: {
    name: string;
    vhost: string;
    durable: boolean;
    auto_delete: boolean;
    arguments: Record<string, unknown>;
  }[];
  exchanges: {
    name: string;
    vhost: string;
    type: 'topic' | 'direct';
    durable: boolean;
    auto_delete: boolean;
    internal: boolean;
    arguments: Record<string, never>;
  }[];
  bindings: {
    source: string;
    vhost: string;
    destination: string;
    destination_type: 'queue';
    routing_key: string;
    arguments: Record<string, never>;
  }[];
}

/**
 * The development password of a user in the shipped definitions (documented in deploy/README.md;
 * replace every one for any real broker): `dev-admin`, `dev-<service>`, `dev-agent-<nodeId>`.
 * The test harness and the demo log in with these.
 */
export function devPassword(user: string): string {
  if (user === ADMIN_BROKER_USER) return 'dev-admin';
  if (!user.startsWith('conveyor-')) throw new Error(`"${user}" is not a Conveyor broker user`);
  return `dev-${user.slice('conveyor-'.length)}`;
}

/**
 * RabbitMQ's rabbit_password_hashing_sha256: base64(salt ‖ sha256(salt ‖ password)), 4-byte salt.
 * Without a salt, one derived from the user name: the generated file is the same on every run.
 */
export function rabbitPasswordHash(password: string, salt?: Buffer, userForSalt = password): string {
  const saltBytes =
    salt ?? createHash('sha256').update(`conveyor-salt:${userForSalt}`).digest().subarray(0, 4);
  return Buffer.concat([
    saltBytes,
    createHash('sha256')
      .update(Buffer.concat([saltBytes, Buffer.from(password, 'utf8')]))
      .digest(),
  ]).toString('base64');
}

function user(name: string, tags: string[] = []): BrokerUser {
  return {
    name,
    password_hash: rabbitPasswordHash(devPassword(name), undefined, name),
    hashing_algorithm: 'rabbit_password_hashing_sha256',
    tags,
    limits: {},
  };
}

export interface DefinitionsOptions {
  vhost?: string;
  /** Sample agents given a user (each further agent: deploy/rabbitmq/agent-user.js). */
  sampleAgents?: readonly string[];
  /** AMQP_MAX_ATTEMPTS the service queues are declared for (their x-delivery-limit). */
  maxAttempts?: number;
}

/**
 * deploy/rabbitmq/definitions.json, generated from the contracts: the vhost, the exchanges, each
 * service's queues, the dead-letter queues, one user per service and per sample agent, each
 * allowed to publish exactly the routing keys it produces. Pure and deterministic.
 */
export function brokerDefinitions(options: DefinitionsOptions = {}): BrokerDefinitions {
  const vhost = options.vhost ?? 'conveyor';
  const agents = options.sampleAgents ?? ['web-1', 'web-2'];
  const maxAttempts = options.maxAttempts ?? 5;
  const parties = [
    ...allServicePermissions(vhost),
    ...agents.map((nodeId) => agentPermissions(nodeId, vhost)),
  ];
  const deadLetterQueues = [...SERVICE_PRODUCERS.map(deadLetterQueueName), AGENT_DEAD_LETTER_QUEUE];
  const queue = (name: string, args: Record<string, unknown>) => ({
    name,
    vhost,
    durable: true,
    auto_delete: false,
    arguments: args,
  });
  return {
    rabbit_version: '3.10.8',
    rabbitmq_version: '3.10.8',
    users: [user(ADMIN_BROKER_USER, ['administrator']), ...parties.map((party) => user(party.user))],
    vhosts: [
      {
        name: vhost,
        metadata: { description: 'Conveyor: events, service queues, agent queues', tags: [] },
      },
    ],
    permissions: [
      { user: ADMIN_BROKER_USER, vhost, configure: '.*', write: '.*', read: '.*' },
      ...parties.map((party) => party.permission),
    ],
    topic_permissions: parties.map((party) => party.topicPermission),
    parameters: [],
    policies: [],
    queues: [
      ...SERVICE_PRODUCERS.flatMap((service) => [
        queue(serviceQueueName(service), serviceQueueArguments({ service, maxAttempts })),
        queue(deadLetterQueueName(service), deadLetterQueueArguments()),
      ]),
      queue(AGENT_DEAD_LETTER_QUEUE, deadLetterQueueArguments()),
    ],
    exchanges: [
      {
        name: EVENTS_EXCHANGE,
        vhost,
        type: 'topic',
        durable: true,
        auto_delete: false,
        internal: false,
        arguments: {},
      },
      {
        name: DEAD_LETTER_EXCHANGE,
        vhost,
        type: 'direct',
        durable: true,
        auto_delete: false,
        internal: false,
        arguments: {},
      },
    ],
    bindings: deadLetterQueues.map((name) => ({
      source: DEAD_LETTER_EXCHANGE,
      vhost,
      destination: name,
      destination_type: 'queue' as const,
      routing_key: name,
      arguments: {},
    })),
  };
}

/**
 * What deploy/rabbitmq/agent-user.js needs to describe a new agent's user, generated with the
 * definitions (deploy/rabbitmq/agent-topic-permissions.json).
 */
export function agentUserTemplate(): { write: string; read: string } {
  const { topicPermission } = agentPermissions('template', 'conveyor');
  return { write: topicPermission.write, read: topicPermission.read };
}
