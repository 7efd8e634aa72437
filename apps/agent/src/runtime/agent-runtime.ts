import { errorMessage } from '@conveyor/errors';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import {
  FileNonceStore,
  MAX_COMMAND_LIFETIME_MS,
  DEFAULT_MAX_CLOCK_SKEW_MS,
} from '@conveyor/command-signing';
import {
  AGENT_DEAD_LETTER_QUEUE,
  AGENT_QUEUE_DURABLE,
  agentQueueArguments,
  agentQueueName,
  ConfirmedPublisher,
  connectAmqp,
  ensureSharedTopology,
  EventConsumer,
  waitForConnection,
} from '@conveyor/messaging';
import { runWithCorrelation, type Logger } from '@conveyor/observability';
import { chmod, chown, mkdir } from 'node:fs/promises';
import { AGENT_COMMAND_TYPES, CommandIntake } from '../commands/command-intake';
import type { AgentConfig } from '../config/agent-config';
import { StepJournal } from '../journal/step-journal.store';
import { agentLayout } from '../releases/agent-layout';
import { currentVersion } from '../releases/current-link';
import { ReleaseHistoryStore } from '../releases/release-history.store';
import type { StepContext } from '../steps/step-context';
import { recoverInterruptedSteps } from '../steps/step-recovery';
import { eventEmitter } from './event-emitter';
import { readAgentState } from './agent-state';
import { applyReconnectBackoff } from './reconnect-schedule';
import { adoptRelease } from '../releases/release-history.rules';

export const AGENT_VERSION = '0.1.0';

/** A queue whose agent has been gone this long is deleted by the broker (a decommissioned node). */
const QUEUE_IDLE_EXPIRY_MS = 7 * 24 * 60 * 60 * 1000;

export interface RunningAgent {
  /** Stops taking commands, lets a running step finish, closes the connection. */
  stop(): Promise<void>;
}

/** Tries of a command whose handling throws before it goes to conveyor.agent.dead-letter. */
export const AGENT_MAX_ATTEMPTS = 5;

/**
 * Starts an agent: opens its state (journal, nonces, release history), repairs steps a crash cut
 * short, connects to RabbitMQ (outbound only), consumes its own queue, announces itself and sends
 * heartbeats. Plain Node: no HTTP port, no framework.
 */
export async function startAgent(config: AgentConfig, logger: Logger): Promise<RunningAgent> {
  for (const warning of config.warnings) logger.warn(warning);
  const layout = agentLayout(config.baseDir);
  await mkdir(layout.releasesDir, { recursive: true });
  await mkdir(layout.stateDir, { recursive: true });
  if (config.host.hookRunAs !== undefined) {
    // Hooks run as their own user: they may create files in state/ (app.pid, app.log) but, with
    // the sticky bit, never remove or rename the agent's (steps/, nonces/, releases.json).
    await chown(layout.stateDir, process.getuid?.() ?? 0, config.host.hookRunAs.gid);
    await chmod(layout.stateDir, 0o1775);
  }
  const nonceStore = await FileNonceStore.open(layout.noncesDir);
  const journal = await StepJournal.open(layout.stepsDir);

  const connection: AmqpConnectionManager = connectAmqp(config.amqpUrl, {
    connectionName: `conveyor-agent-${config.nodeId}`,
  });
  // Jittered exponential back-off: a fleet that loses the broker together does not return together.
  applyReconnectBackoff(connection, config.reconnect, {
    onWait: (delayMs, attempt) =>
      logger.warn({ delayMs, attempt }, 'no connection to RabbitMQ; reconnecting after a jittered wait'),
  });
  connection.on('disconnect', ({ err }: { err?: Error }) =>
    logger.warn({ err: err?.message }, 'disconnected from RabbitMQ; reconnecting'),
  );
  await waitForConnection(connection, 30_000);
  // Least privilege: the agent declares only its own queue. The shared exchanges and dead-letter
  // queue are provisioned (deploy/rabbitmq/definitions.json) and merely checked; on a development
  // broker that lacks them they are created here, once.
  await ensureSharedTopology(connection, { deadLetterQueues: [AGENT_DEAD_LETTER_QUEUE] });
  const publisher = new ConfirmedPublisher(connection, {
    sharedTopology: 'check',
    onError: (error) => logger.warn({ err: error.message }, 'publisher channel error'),
  });
  const emit = eventEmitter(publisher, config.nodeId, logger);
  const steps: StepContext = {
    layout,
    nodeId: config.nodeId,
    serverPort: config.serverPort,
    keepReleases: config.keepReleases,
    journal,
    history: new ReleaseHistoryStore(layout.historyFile),
    emit,
    host: config.host,
  };

  const recovered = await recoverInterruptedSteps(steps);
  for (const record of recovered)
    logger.warn({ stepId: record.stepId, kind: record.kind }, 'step was interrupted; reported as failed');
  // A release serving that the agent never installed (the one before Conveyor) is a rollback target.
  const serving = await currentVersion(layout);
  await steps.history.update((history) => adoptRelease(history, serving, new Date()));
  const state = () => readAgentState(steps);

  const intake = new CommandIntake({
    nodeId: config.nodeId,
    facts: config.facts,
    trustedKeys: config.trustedKeys,
    nonceStore,
    steps,
    logger,
    state,
  });
  const actor = `agent:${config.nodeId}`;
  const consumer = new EventConsumer(connection, {
    service: `agent.${config.nodeId}`,
    bindings: [...AGENT_COMMAND_TYPES],
    queue: {
      name: agentQueueName(config.nodeId),
      durable: AGENT_QUEUE_DURABLE,
      arguments: agentQueueArguments({
        messageTtlMs: MAX_COMMAND_LIFETIME_MS + DEFAULT_MAX_CLOCK_SKEW_MS,
        idleExpiryMs: QUEUE_IDLE_EXPIRY_MS,
      }),
    },
    deadLetterQueue: AGENT_DEAD_LETTER_QUEUE,
    sharedTopology: 'check',
    publisher,
    logger,
    prefetch: 16,
    // The agent's queue is classic (no x-delivery-count): the agent counts attempts itself, so a
    // command whose handling keeps failing is dead-lettered after AGENT_MAX_ATTEMPTS, not retried forever.
    attemptCounting: 'local',
    maxAttempts: AGENT_MAX_ATTEMPTS,
    handle: (envelope, delivery) =>
      runWithCorrelation({ correlationId: envelope.correlationid, causationId: envelope.id, actor }, () =>
        intake.handle(envelope, delivery),
      ),
    onInvalid: (invalid) => intake.handleInvalid(invalid),
    // After a broker outage, once the queue is back, say again what runs here: the orchestrator may
    // have missed replies, and sends again what this agent has not answered (its queue, not durable,
    // may have gone with a restarting broker).
    onConsuming: (setups) => {
      if (setups === 1) return;
      void register(true).catch((error: unknown) =>
        logger.warn({ err: errorMessage(error) }, 'could not re-register'),
      );
    },
  });
  await consumer.start();

  const startedAt = new Date().toISOString();
  const facts = { ...config.facts };
  const register = async (reconnected: boolean) =>
    emit('agent.registered', {
      nodeId: config.nodeId,
      facts,
      agentVersion: AGENT_VERSION,
      startedAt,
      ...(reconnected ? { reconnected } : {}),
      ...(await state()),
    });
  await register(false);
  let sequence = 0;
  const heartbeat = setInterval(() => {
    void state()
      .then((now) =>
        emit('agent.heartbeat', {
          nodeId: config.nodeId,
          facts,
          sequence: sequence++,
          intervalMs: config.heartbeatMs,
          ...now,
        }),
      )
      .catch((error: unknown) => logger.warn({ err: errorMessage(error) }, 'heartbeat not sent'));
  }, config.heartbeatMs);
  logger.info({ nodeId: config.nodeId, queue: agentQueueName(config.nodeId), facts }, 'agent ready');

  return {
    async stop() {
      clearInterval(heartbeat);
      await consumer.stop();
      await intake.idle();
      await publisher.close();
      await connection.close();
      await nonceStore.close();
    },
  };
}
