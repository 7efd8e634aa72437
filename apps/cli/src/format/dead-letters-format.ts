import { z } from 'zod';

/** A dead letter as the RabbitMQ management API returns it (`POST /api/queues/<vhost>/<queue>/get`). */
export const managementMessage = z.object({
  payload: z.string(),
  payload_encoding: z.string().optional(),
  routing_key: z.string(),
  properties: z
    .object({
      message_id: z.string().optional(),
      user_id: z.string().optional(),
      headers: z.record(z.string(), z.unknown()).optional(),
    })
    .passthrough(),
});
export type ManagementMessage = z.infer<typeof managementMessage>;

export const managementQueue = z.object({ name: z.string(), messages: z.number().optional() });

/** What `conveyor dead-letters` shows of one dead letter. */
export interface DeadLetterView {
  queue: string;
  id: string | null;
  type: string;
  /** The broker user that first published it (x-conveyor-user-id). */
  publishedBy: string | null;
  attempts: number | null;
  refused: string | null;
  deadLetteredAt: string | null;
  error: string;
  payload: string;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** Pure: the view of a message taken from a dead-letter queue. */
export function deadLetterView(queue: string, message: ManagementMessage): DeadLetterView {
  const headers = message.properties.headers ?? {};
  const attempts = headers['x-conveyor-attempts'];
  return {
    queue,
    id: message.properties.message_id ?? null,
    type: text(headers['x-conveyor-routing-key']) ?? message.routing_key,
    publishedBy: text(headers['x-conveyor-user-id']),
    attempts: typeof attempts === 'number' ? attempts : null,
    refused: text(headers['x-conveyor-refused']),
    deadLetteredAt: text(headers['x-conveyor-dead-lettered-at']),
    error: text(headers['x-conveyor-error']) ?? '(no reason recorded)',
    payload: message.payload,
  };
}

/** The service that owns a dead-letter queue: `conveyor.<service>.dead-letter` → `<service>`. */
export function serviceOfQueue(queue: string): string | null {
  const match = /^conveyor\.([a-z][a-z0-9-]{0,62})\.dead-letter$/.exec(queue);
  return match === null || match[1] === 'agent' ? null : match[1];
}

export function describeQueues(queues: readonly { name: string; messages: number }[]): string[] {
  if (queues.length === 0) return ['no dead-letter queues'];
  return queues.map((queue) => `${queue.name}  ${queue.messages} message(s)`);
}

export function describeLetters(letters: readonly DeadLetterView[]): string[] {
  if (letters.length === 0) return ['no dead letters'];
  return letters.map(
    (letter) =>
      `${letter.id ?? '(no id)'}  ${letter.type}  ${letter.attempts ?? '?'} attempt(s)  ${letter.deadLetteredAt ?? ''}  ${oneLine(letter.error, 100)}`,
  );
}

export function describeLetter(letter: DeadLetterView): string[] {
  return [
    `id            ${letter.id ?? '(no id)'}`,
    `queue         ${letter.queue}`,
    `type          ${letter.type}`,
    `published by  ${letter.publishedBy ?? '(unknown)'}`,
    `attempts      ${letter.attempts ?? '?'}`,
    ...(letter.refused === null ? [] : [`refused       ${letter.refused}`]),
    `dead-lettered ${letter.deadLetteredAt ?? '?'}`,
    `reason        ${letter.error}`,
    '',
    letter.payload,
  ];
}

function oneLine(value: string, max: number): string {
  const flat = value.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
