import { errorMessage } from '@conveyor/errors';
import { connect, type ChannelModel } from 'amqplib';

const MANAGEMENT = process.env['TEST_RABBITMQ_MANAGEMENT_URL'] ?? 'http://127.0.0.1:15672';
const AMQP_HOST = process.env['TEST_RABBITMQ_HOST'] ?? '127.0.0.1:5672';
const ADMIN = `Basic ${Buffer.from(process.env['TEST_RABBITMQ_ADMIN'] ?? 'guest:guest').toString('base64')}`;

/** A call to the RabbitMQ management API as the test broker's administrator. */
export async function management(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${MANAGEMENT}${path}`, {
    method,
    headers: { authorization: ADMIN, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok && !(method === 'DELETE' && response.status === 404)) {
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  }
  const text = await response.text();
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

export function connectAs(user: string, password: string, vhost: string): Promise<ChannelModel> {
  return connect(
    `amqp://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${AMQP_HOST}/${encodeURIComponent(vhost)}`,
  );
}

export type Outcome = { ok: true } | { ok: false; error: string };

/**
 * Runs one operation on a fresh channel and reports whether the broker allowed it. A refusal
 * closes the channel (ACCESS_REFUSED, 403), which rejects the operation's promise.
 */
export async function attempt(
  connection: ChannelModel,
  operation: (channel: Awaited<ReturnType<ChannelModel['createConfirmChannel']>>) => Promise<unknown>,
): Promise<Outcome> {
  const channel = await connection.createConfirmChannel();
  const closed = new Promise<Outcome>((resolve) => {
    channel.on('error', (error: Error) => resolve({ ok: false, error: error.message }));
  });
  const done = operation(channel).then(
    (): Outcome => ({ ok: true }),
    (error: unknown): Outcome => ({
      ok: false,
      error: errorMessage(error),
    }),
  );
  const outcome = await Promise.race([done, closed]);
  if (outcome.ok) await channel.close();
  return outcome;
}

/** Publishes on conveyor.events with publisher confirms; resolves once the broker confirmed or refused. */
export function publishEvent(connection: ChannelModel, routingKey: string): Promise<Outcome> {
  return attempt(
    connection,
    (channel) =>
      new Promise<void>((resolve, reject) => {
        channel.publish(
          'conveyor.events',
          routingKey,
          Buffer.from('{}'),
          { contentType: 'application/json' },
          (error: unknown) =>
            error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(),
        );
      }),
  );
}
