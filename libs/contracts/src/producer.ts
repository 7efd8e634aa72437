/**
 * Who may publish an event: every contract names exactly one producer. The broker knows who
 * published a message (the AMQP `user_id` property, which RabbitMQ checks against the
 * connection's user), and consumers accept an event only from its producer's broker user.
 */
export const PRODUCERS = ['pipeline', 'orchestrator', 'pool-manager', 'verifier', 'audit', 'agent'] as const;
export type Producer = (typeof PRODUCERS)[number];

/** The producers that run as one service (one broker user each); `agent` is one user per node. */
export type ServiceProducer = Exclude<Producer, 'agent'>;
export const SERVICE_PRODUCERS = PRODUCERS.filter(
  (producer): producer is ServiceProducer => producer !== 'agent',
);

export function isProducer(value: string): value is Producer {
  return (PRODUCERS as readonly string[]).includes(value);
}

/** A node id as the agent accepts it (its NODE_ID rule); also what an agent's broker user may carry. */
export const NODE_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/i;

/** The broker user of a service: `conveyor-<service>`. */
export function serviceBrokerUser(service: ServiceProducer): string {
  return `conveyor-${service}`;
}

/** The broker user of one agent: `conveyor-agent-<nodeId>`. Throws for a node id the agent would refuse. */
export function agentBrokerUser(nodeId: string): string {
  if (!NODE_ID_PATTERN.test(nodeId)) {
    throw new Error(
      `"${nodeId}" is not a valid node id (1-63 letters, digits, dots, dashes or underscores, starting with a letter or digit)`,
    );
  }
  return `conveyor-agent-${nodeId}`;
}

/** A party on the bus: a service by name, or one agent as `agent:<nodeId>`. */
export type Participant = ServiceProducer | `agent:${string}`;

/** The broker user of a participant (`orchestrator` → `conveyor-orchestrator`, `agent:web-1` → `conveyor-agent-web-1`). */
export function brokerUserOf(participant: Participant): string {
  if (participant.startsWith('agent:')) return agentBrokerUser(participant.slice('agent:'.length));
  if (!(SERVICE_PRODUCERS as readonly string[]).includes(participant)) {
    throw new Error(
      `"${participant}" is neither a service (${SERVICE_PRODUCERS.join(', ')}) nor agent:<nodeId>`,
    );
  }
  return serviceBrokerUser(participant as ServiceProducer);
}
