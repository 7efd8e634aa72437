import { z } from 'zod';

/** The subset of RabbitMQ's definitions format (3.10) that deploy/rabbitmq/definitions.json uses. */
const permission = z.strictObject({
  user: z.string(),
  vhost: z.string(),
  configure: z.string(),
  write: z.string(),
  read: z.string(),
});

export const definitionsSchema = z.object({
  users: z.array(
    z.strictObject({
      name: z.string().min(1),
      password_hash: z.string().min(1),
      hashing_algorithm: z.literal('rabbit_password_hashing_sha256'),
      tags: z.array(z.string()),
      limits: z.record(z.string(), z.unknown()),
    }),
  ),
  vhosts: z.array(z.object({ name: z.string().min(1) })).length(1),
  permissions: z.array(permission),
  topic_permissions: z.array(
    z.strictObject({
      user: z.string(),
      vhost: z.string(),
      exchange: z.string(),
      write: z.string(),
      read: z.string(),
    }),
  ),
  queues: z.array(
    z.strictObject({
      name: z.string(),
      vhost: z.string(),
      durable: z.boolean(),
      auto_delete: z.boolean(),
      arguments: z.record(z.string(), z.unknown()),
    }),
  ),
  exchanges: z.array(
    z.strictObject({
      name: z.string(),
      vhost: z.string(),
      type: z.enum(['topic', 'direct', 'fanout', 'headers']),
      durable: z.boolean(),
      auto_delete: z.boolean(),
      internal: z.boolean(),
      arguments: z.record(z.string(), z.unknown()),
    }),
  ),
  bindings: z.array(
    z.strictObject({
      source: z.string(),
      vhost: z.string(),
      destination: z.string(),
      destination_type: z.enum(['queue', 'exchange']),
      routing_key: z.string(),
      arguments: z.record(z.string(), z.unknown()),
    }),
  ),
});
export type Definitions = z.infer<typeof definitionsSchema>;

/** A copy of the definitions in vhost `vhost` with every user name suffixed (for a test on a shared broker). */
export function renamedDefinitions(definitions: Definitions, vhost: string, userSuffix: string): Definitions {
  const rename = (user: string) => `${user}${userSuffix}`;
  return {
    ...definitions,
    users: definitions.users.map((user) => ({ ...user, name: rename(user.name) })),
    vhosts: definitions.vhosts.map((entry) => ({ ...entry, name: vhost })),
    permissions: definitions.permissions.map((entry) => ({ ...entry, user: rename(entry.user), vhost })),
    topic_permissions: definitions.topic_permissions.map((entry) => ({
      ...entry,
      user: rename(entry.user),
      vhost,
    })),
    queues: definitions.queues.map((entry) => ({ ...entry, vhost })),
    exchanges: definitions.exchanges.map((entry) => ({ ...entry, vhost })),
    bindings: definitions.bindings.map((entry) => ({ ...entry, vhost })),
  };
}

/** The development passwords of deploy/rabbitmq/definitions.json (documented in deploy/README.md). */
export function devPassword(user: string): string {
  if (user === 'conveyor-admin') return 'dev-admin';
  if (user.startsWith('conveyor-agent-')) return `dev-agent-${user.slice('conveyor-agent-'.length)}`;
  return `dev-${user.slice('conveyor-'.length)}`;
}
