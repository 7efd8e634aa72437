import { errorMessage } from '@conveyor/errors';
import type { Command } from 'commander';
import { z } from 'zod';
import type { CliContext } from '../cli-context';
import { CliError, ExitCode } from '../exit-codes';
import {
  deadLetterView,
  describeLetter,
  describeLetters,
  describeQueues,
  managementMessage,
  managementQueue,
  serviceOfQueue,
  type DeadLetterView,
} from '../format/dead-letters-format';

/**
 * `conveyor dead-letters list | show <id> | replay <id>|--all --queue <q>`
 * (docs/adr/0008-dead-letter-replay-through-the-pipeline.md): reads the dead-letter queues through
 * the RabbitMQ management API with a read-only operator credential (CONVEYOR_BROKER_URL), and
 * replays through the pipeline API, which records who asked in the audit log.
 */
export function registerDeadLettersCommands(program: Command, ctx: CliContext): void {
  const group = program
    .command('dead-letters')
    .description('events a service gave up on: list them, read one, send them back (replay)')
    .option(
      '--broker-url <url>',
      'RabbitMQ management URL with a read-only operator credential (prefer CONVEYOR_BROKER_URL)',
    )
    .option('--vhost <name>', 'RabbitMQ vhost (default CONVEYOR_BROKER_VHOST or conveyor)');

  group
    .command('list')
    .description('dead-letter queues and their depth; with --queue, the letters in it with their reason')
    .option('--queue <name>', 'a dead-letter queue, e.g. conveyor.orchestrator.dead-letter')
    .option('--limit <n>', 'at most this many letters', (value) => positiveInt(value, '--limit'), 100)
    .action(async (options: { queue?: string; limit: number }, command: Command) => {
      const broker = management(ctx, command);
      if (options.queue === undefined) {
        const queues = await broker.deadLetterQueues();
        return ctx.output(command, queues, () => describeQueues(queues));
      }
      const letters = await broker.peek(options.queue, options.limit);
      ctx.output(command, letters, () => describeLetters(letters));
    });

  group
    .command('show <id>')
    .description('one dead letter: its reason, attempts, original type and publisher, and the event')
    .option('--queue <name>', 'look only in this dead-letter queue')
    .action(async (id: string, options: { queue?: string }, command: Command) => {
      const letter = await management(ctx, command).find(id, options.queue);
      ctx.output(command, letter, () => describeLetter(letter));
    });

  group
    .command('replay [id]')
    .description(
      'send a dead letter (or --all of a queue) back through its service retry queue; recorded in the audit log',
    )
    .option('--all', 'every letter of --queue')
    .option('--queue <name>', 'the dead-letter queue (required with --all; found by id otherwise)')
    .action(async (id: string | undefined, options: { all?: boolean; queue?: string }, command: Command) => {
      if ((id === undefined) === (options.all !== true)) {
        throw new CliError('give a message id or --all (with --queue), not both', ExitCode.usage);
      }
      let queue = options.queue;
      if (options.all === true && queue === undefined) {
        throw new CliError('--all needs --queue <conveyor.<service>.dead-letter>', ExitCode.usage);
      }
      if (queue === undefined && id !== undefined) queue = (await management(ctx, command).find(id)).queue;
      const service = queue === undefined ? null : serviceOfQueue(queue);
      if (queue === undefined || service === null) {
        throw new CliError(
          `${queue ?? '(none)'} is not a service dead-letter queue (conveyor.<service>.dead-letter)`,
          ExitCode.usage,
        );
      }
      const client = await ctx.pipeline(command);
      const { body } = await client.json('POST', '/dead-letters/replays', replayAnswer, {
        json: { service, queue, messageId: id ?? null, all: options.all === true },
      });
      ctx.output(command, body, () => [
        `replay of ${body.all ? `every letter in ${body.queue}` : `${body.messageId} from ${body.queue}`} requested from ${body.service}`,
        'recorded in the audit log as deadletter.replay.requested; the letters come back through the service retry queue',
      ]);
    });
}

const replayAnswer = z.object({
  requested: z.literal('deadletter.replay.requested'),
  service: z.string(),
  queue: z.string(),
  messageId: z.string().nullable(),
  all: z.boolean(),
});

function positiveInt(value: string, flag: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 10_000) {
    throw new CliError(`${flag} must be a whole number from 1 to 10000, got "${value}"`, ExitCode.usage);
  }
  return parsed;
}

interface BrokerReader {
  deadLetterQueues(): Promise<{ name: string; messages: number }[]>;
  peek(queue: string, limit: number): Promise<DeadLetterView[]>;
  find(id: string, queue?: string): Promise<DeadLetterView>;
}

/** The RabbitMQ management API, read only: dead letters are peeked (taken and requeued), never removed. */
function management(ctx: CliContext, command: Command): BrokerReader {
  const options = command.optsWithGlobals<{ brokerUrl?: string; vhost?: string }>();
  const raw = options.brokerUrl ?? ctx.io.env['CONVEYOR_BROKER_URL'];
  if (raw === undefined || raw === '') {
    throw new CliError(
      'no RabbitMQ management URL: give --broker-url or set CONVEYOR_BROKER_URL (e.g. http://conveyor-operator:<password>@rabbitmq:15672)',
      ExitCode.usage,
    );
  }
  let url: URL;
  try {
    url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new CliError(`CONVEYOR_BROKER_URL must be an http(s) URL, got "${raw}"`, ExitCode.usage);
  }
  const vhost = options.vhost ?? ctx.io.env['CONVEYOR_BROKER_VHOST'] ?? 'conveyor';
  const authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
  const base = `${url.protocol}//${url.host}${url.pathname.replace(/\/$/, '')}/api`;
  const call = async <S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown) => {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: { authorization, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new CliError(
        `RabbitMQ management API at ${url.host} unreachable: ${errorMessage(error)}`,
        ExitCode.unreachable,
      );
    }
    if (response.status === 401)
      throw new CliError('RabbitMQ refused the operator credential', ExitCode.auth);
    if (response.status === 404) throw new CliError(`RabbitMQ: ${path} not found`, ExitCode.notFound);
    if (!response.ok) {
      throw new CliError(`RabbitMQ answered ${method} ${path} with ${response.status}`, ExitCode.failure);
    }
    const parsed = schema.safeParse(await response.json());
    if (!parsed.success) throw new CliError(`unexpected answer from RabbitMQ to ${path}`, ExitCode.failure);
    return parsed.data as z.infer<S>;
  };
  const v = encodeURIComponent(vhost);
  const reader: BrokerReader = {
    async deadLetterQueues() {
      const queues = await call('GET', `/queues/${v}?columns=name,messages`, z.array(managementQueue));
      return queues
        .filter((queue) => queue.name.endsWith('.dead-letter'))
        .map((queue) => ({ name: queue.name, messages: queue.messages ?? 0 }))
        .sort((a, b) => a.name.localeCompare(b.name));
    },
    async peek(queue, limit) {
      const messages = await call(
        'POST',
        `/queues/${v}/${encodeURIComponent(queue)}/get`,
        z.array(managementMessage),
        { count: limit, ackmode: 'ack_requeue_true', encoding: 'auto', truncate: 1_000_000 },
      );
      return messages.map((message) => deadLetterView(queue, message));
    },
    async find(id, queue) {
      const queues = queue === undefined ? (await reader.deadLetterQueues()).map((q) => q.name) : [queue];
      for (const name of queues) {
        const found = (await reader.peek(name, 10_000)).find((letter) => letter.id === id);
        if (found !== undefined) return found;
      }
      throw new CliError(`no dead letter ${id} in ${queue ?? 'any dead-letter queue'}`, ExitCode.notFound);
    },
  };
  return reader;
}
