import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { agentBrokerUser, brokerUserOf, type Participant, type ServiceProducer } from '@conveyor/contracts';
import {
  agentPermissions,
  allServicePermissions,
  brokerDefinitions,
  deadLetterQueueName,
  devPassword,
  escapeRegex,
  retryQueuePattern,
  serviceQueueName,
  servicePermissions,
  type UserPermissions,
} from '@conveyor/messaging';

export interface TestVhost {
  name: string;
  /**
   * AMQP URL into the vhost as guest, its administrator: for set-up and inspection only. Consumers
   * refuse every event guest publishes (it is no event's producer).
   */
  adminUrl: string;
  /**
   * AMQP URL of a participant's own least-privileged user, with the permissions the shipped
   * definitions give it: a service by name (`orchestrator`) or an agent (`agent:web-1`, after
   * `addAgent`). Services are provisioned when the vhost is created.
   */
  urlFor(participant: Participant): string;
  /** Provisions agent `nodeId`'s user `conveyor-agent-<nodeId>` in this vhost; returns its URL. */
  addAgent(nodeId: string): Promise<string>;
  /**
   * For tests of the bus's mechanics only (not of who may do what): lets a service's user also
   * declare and consume the queues of these extra test services (`conveyor.<name>`, its
   * dead-letter queue and its retry queues) in this vhost, so several test services can run as that one producer.
   * Its topic permissions stay the generated ones.
   */
  allowTestServices(service: ServiceProducer, names: readonly string[]): Promise<void>;
  /** Closes every client connection into this vhost (as if the broker dropped them). */
  closeConnections(): Promise<number>;
  /**
   * The broker is unreachable from this vhost for `ms`, as when it is down or restarting: every
   * user's permissions on it are taken away at once (a reconnect is refused) and every connection is
   * dropped, again every 500 ms; then the permissions come back as they were. Other vhosts (other
   * test files running meanwhile) are untouched, which a real broker restart would not allow.
   * `loseTransientQueues`: as a real restart does, every non-durable queue (an agent's) is gone,
   * with its messages, when the broker is back. Resolves with how many connections were dropped;
   * `onRestored` is called the moment the permissions are back (when reconnects can succeed again).
   */
  outage(ms: number, options?: OutageOptions): Promise<number>;
  /** Messages waiting in a queue of this vhost. */
  queueDepth(queue: string): Promise<number>;
  /** Takes up to `count` messages off a queue (for inspecting dead letters). */
  peek(queue: string, count: number): Promise<PeekedMessage[]>;
  delete(): Promise<void>;
}

export interface PeekedMessage {
  payload: string;
  routingKey: string;
  headers: Record<string, unknown>;
  messageId: string | undefined;
  /** The AMQP user_id property, if any. */
  userId: string | undefined;
}

export interface OutageOptions {
  onRestored?: () => void;
  loseTransientQueues?: boolean;
}

/** One user's permissions on a vhost, as the management API lists them. */
interface VhostPermission {
  user: string;
  configure: string;
  write: string;
  read: string;
}

const MANAGEMENT = process.env['TEST_RABBITMQ_MANAGEMENT_URL'] ?? 'http://127.0.0.1:15672';
const AMQP_HOST = process.env['TEST_RABBITMQ_AMQP'] ?? 'amqp://guest:guest@127.0.0.1:5672';
const AUTH = `Basic ${Buffer.from('guest:guest').toString('base64')}`;

/** The AMQP URL of `user` (with its fixed test password) into `vhost` on the test broker. */
function amqpUrlAs(user: string, vhost: string): string {
  const base = new URL(AMQP_HOST);
  const credentials = `${encodeURIComponent(user)}:${encodeURIComponent(devPassword(user))}`;
  return `${base.protocol}//${credentials}@${base.host}/${encodeURIComponent(vhost)}`;
}

/**
 * Gives a user its permissions in the vhost. RabbitMQ users are global: each is PUT (an idempotent
 * call, safe from concurrent test files) with the fixed test password (the shipped definitions'
 * development password) and never deleted; its permissions go with the vhost.
 */
async function provision(party: UserPermissions, vhost: string): Promise<void> {
  const user = encodeURIComponent(party.user);
  await management('PUT', `/api/users/${user}`, { password: devPassword(party.user), tags: '' });
  const { configure, write, read } = party.permission;
  await management('PUT', `/api/permissions/${vhost}/${user}`, { configure, write, read });
  const topic = party.topicPermission;
  await management('PUT', `/api/topic-permissions/${vhost}/${user}`, {
    exchange: topic.exchange,
    write: topic.write,
    read: topic.read,
  });
}

/**
 * A throw-away RabbitMQ vhost for one test file, through the management HTTP API: the shared
 * exchanges and dead-letter queues of the shipped definitions, and every service's
 * least-privileged user with its permissions (as guest, the vhost's administrator, provisions).
 */
export async function createTestVhost(prefix = 'conveyor-test'): Promise<TestVhost> {
  const name = `${prefix}-${randomBytes(6).toString('hex')}`;
  const vhost = encodeURIComponent(name);
  await management('PUT', `/api/vhosts/${vhost}`);
  await management('PUT', `/api/permissions/${vhost}/guest`, { configure: '.*', write: '.*', read: '.*' });
  const shared = brokerDefinitions({ vhost: name });
  for (const exchange of shared.exchanges) {
    const { type, durable, auto_delete, internal, arguments: args } = exchange;
    await management('PUT', `/api/exchanges/${vhost}/${encodeURIComponent(exchange.name)}`, {
      type,
      durable,
      auto_delete,
      internal,
      arguments: args,
    });
  }
  // Only the dead-letter queues: each service declares its own work queue with its own limits.
  for (const binding of shared.bindings) {
    const queue = shared.queues.find((entry) => entry.name === binding.destination);
    await management('PUT', `/api/queues/${vhost}/${encodeURIComponent(binding.destination)}`, {
      durable: true,
      auto_delete: false,
      arguments: queue?.arguments ?? {},
    });
    await management(
      'POST',
      `/api/bindings/${vhost}/e/${encodeURIComponent(binding.source)}/q/${encodeURIComponent(binding.destination)}`,
      { routing_key: binding.routing_key, arguments: {} },
    );
  }
  await Promise.all(allServicePermissions(name).map((party) => provision(party, vhost)));
  const agents = new Set<string>();
  const deleteTransientQueues = async () => {
    const queues = (await management('GET', `/api/queues/${vhost}?columns=name,durable`)) as {
      name: string;
      durable: boolean;
    }[];
    await Promise.all(
      queues
        .filter((queue) => !queue.durable)
        .map((queue) => management('DELETE', `/api/queues/${vhost}/${encodeURIComponent(queue.name)}`)),
    );
  };
  const handle: TestVhost = {
    name,
    adminUrl: `${AMQP_HOST}/${vhost}`,
    urlFor(participant) {
      if (participant.startsWith('agent:')) {
        const nodeId = participant.slice('agent:'.length);
        if (!agents.has(nodeId)) {
          throw new Error(
            `agent ${nodeId} has no user in ${name} yet: await vhost.addAgent('${nodeId}') first`,
          );
        }
        return amqpUrlAs(agentBrokerUser(nodeId), name);
      }
      return amqpUrlAs(brokerUserOf(participant), name);
    },
    async allowTestServices(service, names) {
      const party = servicePermissions(service, name);
      const extra = names
        .flatMap((test) => [serviceQueueName(test), deadLetterQueueName(test)])
        .map(escapeRegex)
        .concat(names.map(retryQueuePattern));
      const widen = (pattern: string) => `(${pattern})|^(${extra.join('|')})$`;
      const { configure, write, read } = party.permission;
      await management('PUT', `/api/permissions/${vhost}/${encodeURIComponent(party.user)}`, {
        configure: widen(configure),
        write: widen(write),
        read: widen(read),
      });
    },
    async addAgent(nodeId) {
      await provision(agentPermissions(nodeId, name), vhost);
      agents.add(nodeId);
      return amqpUrlAs(agentBrokerUser(nodeId), name);
    },
    async closeConnections() {
      // rabbitmqctl sees connections at once; the management API lists them only after its next stats tick.
      const listing = await run('rabbitmqctl', ['-q', 'list_connections', 'vhost']);
      const count = listing.split('\n').filter((line) => line.trim() === name).length;
      await run('rabbitmqctl', [
        '-q',
        'close_all_connections',
        '--vhost',
        name,
        '--limit',
        '10000',
        'test: connections dropped on purpose',
      ]);
      return count;
    },
    async outage(ms, options = {}) {
      // Through the management API, every user at once: one rabbitmqctl per user takes seconds on a
      // loaded machine, and meanwhile some participants could reach the broker and others not (a
      // partition, not an outage: an agent that cannot publish while the orchestrator still hears
      // is rightly taken for silent).
      const permissions = (await management('GET', `/api/vhosts/${vhost}/permissions`)) as VhostPermission[];
      if (permissions.length === 0) throw new Error(`no permissions on vhost ${name} to take away`);
      const path = (user: string) => `/api/permissions/${vhost}/${encodeURIComponent(user)}`;
      let closed = 0;
      try {
        await Promise.all(permissions.map(({ user }) => management('DELETE', path(user))));
        const ends = Date.now() + ms;
        while (Date.now() < ends) {
          closed += await handle.closeConnections();
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      } finally {
        const restore = ({ user, configure, write, read }: VhostPermission) =>
          management('PUT', path(user), { configure, write, read });
        const administrator = permissions.filter(({ user }) => user === 'guest');
        await Promise.all(administrator.map(restore));
        // Before anyone else is let in again, so that no client re-declares its queue first.
        if (options.loseTransientQueues === true) await deleteTransientQueues();
        await Promise.all(permissions.filter(({ user }) => user !== 'guest').map(restore));
        options.onRestored?.();
      }
      return closed;
    },
    async queueDepth(queue) {
      const info = (await management('GET', `/api/queues/${vhost}/${encodeURIComponent(queue)}`)) as {
        messages?: number;
      };
      return info.messages ?? 0;
    },
    async peek(queue, count) {
      const messages = (await management('POST', `/api/queues/${vhost}/${encodeURIComponent(queue)}/get`, {
        count,
        ackmode: 'ack_requeue_true',
        encoding: 'auto',
      })) as {
        payload: string;
        routing_key: string;
        properties: { headers?: Record<string, unknown>; message_id?: string; user_id?: string };
      }[];
      return messages.map((m) => ({
        payload: m.payload,
        routingKey: m.routing_key,
        headers: m.properties.headers ?? {},
        messageId: m.properties.message_id,
        userId: m.properties.user_id,
      }));
    },
    async delete() {
      await management('DELETE', `/api/vhosts/${vhost}`);
    },
  };
  return handle;
}

async function management(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<unknown> {
  const response = await fetch(`${MANAGEMENT}${path}`, {
    method,
    headers: { authorization: AUTH, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok && !(method === 'DELETE' && response.status === 404)) {
    throw new Error(`RabbitMQ management ${method} ${path}: ${response.status} ${await response.text()}`);
  }
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}

async function run(command: string, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(command, args, { timeout: 30_000 });
  return stdout;
}
