import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

export interface TestVhost {
  name: string;
  /** AMQP URL into the vhost, as guest. */
  url: string;
  /** Closes every client connection into this vhost (as if the broker dropped them). */
  closeConnections(): Promise<number>;
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
}

const MANAGEMENT = process.env['TEST_RABBITMQ_MANAGEMENT_URL'] ?? 'http://127.0.0.1:15672';
const AMQP_HOST = process.env['TEST_RABBITMQ_AMQP'] ?? 'amqp://guest:guest@127.0.0.1:5672';
const AUTH = `Basic ${Buffer.from('guest:guest').toString('base64')}`;

/** A throw-away RabbitMQ vhost for one test file, through the management HTTP API. */
export async function createTestVhost(prefix = 'conveyor-test'): Promise<TestVhost> {
  const name = `${prefix}-${randomBytes(6).toString('hex')}`;
  const vhost = encodeURIComponent(name);
  await management('PUT', `/api/vhosts/${vhost}`);
  await management('PUT', `/api/permissions/${vhost}/guest`, { configure: '.*', write: '.*', read: '.*' });
  return {
    name,
    url: `${AMQP_HOST}/${vhost}`,
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
      })) as { payload: string; routing_key: string; properties: { headers?: Record<string, unknown> } }[];
      return messages.map((m) => ({
        payload: m.payload,
        routingKey: m.routing_key,
        headers: m.properties.headers ?? {},
      }));
    },
    async delete() {
      await management('DELETE', `/api/vhosts/${vhost}`);
    },
  };
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
