import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type { GetMessage } from 'amqplib';
import type { ConfirmedPublisher } from './confirmed-publisher';
import { RETRY_HEADERS, retryQueueName } from './topology';

/** The event that asks a service to replay its dead letters (see libs/contracts). */
export const REPLAY_REQUESTED = 'deadletter.replay.requested';

export interface ReplayRequest {
  service: string;
  queue: string;
  messageId: string | null;
  all: boolean;
}

export interface ReplayResult {
  replayed: string[];
  /** Matching letters left in place because this service did not write them (their headers are not its word). */
  skipped: { messageId: string | undefined; reason: string }[];
}

/**
 * Which dead letters a request takes, and whether the service may vouch for them. Pure. A dead
 * letter is believed only if this service's own user wrote it (its headers name the original
 * routing key and publisher; anyone else with write on the dead-letter exchange could forge them).
 */
export function replayDecision(
  request: Pick<ReplayRequest, 'messageId' | 'all'>,
  letter: { messageId: string | undefined; userId: string | undefined },
  ownUser: string,
): 'replay' | 'keep' | { skip: string } {
  const matches = request.all || (request.messageId !== null && letter.messageId === request.messageId);
  if (!matches) return 'keep';
  if (letter.userId !== ownUser) {
    return { skip: `written by ${letter.userId ?? 'an unknown user'}, not by ${ownUser}` };
  }
  return 'replay';
}

/**
 * Moves the requested dead letters of `queue` into the service's first retry queue with a fresh
 * attempt count: they come back through the dead-letter exchange and are authenticated as their
 * original publisher's, as any retry. Letters not taken are returned to the dead-letter queue.
 */
export async function replayDeadLetters(
  connection: AmqpConnectionManager,
  publisher: ConfirmedPublisher,
  request: ReplayRequest,
): Promise<ReplayResult> {
  const model = connection.connection;
  if (model === undefined) throw new Error('cannot replay dead letters: not connected to RabbitMQ');
  const channel = await model.createChannel();
  channel.on('error', () => undefined);
  const kept: GetMessage[] = [];
  const result: ReplayResult = { replayed: [], skipped: [] };
  try {
    const { messageCount } = await channel.checkQueue(request.queue);
    for (let taken = 0; taken < messageCount; taken += 1) {
      const letter = await channel.get(request.queue, { noAck: false });
      if (letter === false) break;
      const messageId =
        typeof letter.properties.messageId === 'string' ? letter.properties.messageId : undefined;
      const userId = typeof letter.properties.userId === 'string' ? letter.properties.userId : undefined;
      const decision = replayDecision(request, { messageId, userId }, publisher.userId);
      if (decision === 'keep') {
        kept.push(letter);
        continue;
      }
      if (decision !== 'replay') {
        result.skipped.push({ messageId, reason: decision.skip });
        kept.push(letter);
        continue;
      }
      const headers = letter.properties.headers ?? {};
      const originalKey = headers[RETRY_HEADERS.routingKey];
      const originalUser = headers[RETRY_HEADERS.userId];
      await publisher.retry({
        queue: retryQueueName(request.service, 1),
        original: letter,
        nextAttempt: 1,
        routingKey: typeof originalKey === 'string' ? originalKey : letter.fields.routingKey,
        userId: typeof originalUser === 'string' ? originalUser : undefined,
        lastError: `replayed: ${String(headers['x-conveyor-error'] ?? '')}`,
      });
      channel.ack(letter);
      result.replayed.push(messageId ?? '(no id)');
      if (!request.all) break;
    }
  } finally {
    for (const letter of kept) channel.nack(letter, false, true);
    await channel.close().catch(() => undefined);
  }
  return result;
}
