import type { z } from 'zod';
import {
  deployCommandPayload,
  discoveryCommandPayload,
  migrateCommandPayload,
  rollbackCommandPayload,
  type EventEnvelope,
  type SignedCommand,
} from '@conveyor/contracts';
import {
  checkCommand,
  type CheckResult,
  type NonceStore,
  type RejectionReason,
  type TrustedKeys,
} from '@conveyor/command-signing';
import type { Delivery, HandlingOutcome, InvalidMessage } from '@conveyor/messaging';
import type { Logger } from '@conveyor/observability';
import { decideArrival, interruptStep, type StepKind } from '../journal/step-journal.rules';
import { runDeployStep } from '../steps/deploy-step';
import { runMigrateStep } from '../steps/migrate-step';
import { runRollbackStep } from '../steps/rollback-step';
import type { StepContext } from '../steps/step-context';
import { stateReport, type AgentStateReport } from '../runtime/agent-state';
import { emitOutcome } from '../steps/step-outcome';
import { claimedCommandId, claimsToAddress, invalidCommandReason } from './rejection-policy';
import { StepGate } from './step-gate';

/** The command events an agent's queue is bound to. */
export const AGENT_COMMAND_TYPES = [
  'agent.deploy.requested',
  'agent.rollback.requested',
  'agent.migrate.requested',
  'agent.discovery.requested',
  'agent.state.requested',
] as const;

export interface CommandIntakeOptions {
  nodeId: string;
  facts: Readonly<Record<string, string>>;
  trustedKeys: TrustedKeys;
  nonceStore: NonceStore;
  steps: StepContext;
  logger: Logger;
  /** What the node really runs (current release, kept releases, recent steps). */
  state: () => Promise<AgentStateReport>;
}

type StepCommand =
  | { kind: 'deploy'; command: SignedCommand<z.output<typeof deployCommandPayload>> }
  | { kind: 'rollback'; command: SignedCommand<z.output<typeof rollbackCommandPayload>> }
  | { kind: 'migrate'; command: SignedCommand<z.output<typeof migrateCommandPayload>> };

/**
 * Decides what to do with each command: check it (signature, key, expiry, target, nonce — in that
 * order), refuse with a reason, answer a discovery, or run a step once per stepId.
 */
export class CommandIntake {
  private readonly gate = new StepGate();

  constructor(private readonly options: CommandIntakeOptions) {}

  async handle(envelope: EventEnvelope, delivery: Delivery): Promise<HandlingOutcome> {
    const received = delivery.receivedData ?? envelope.data;
    switch (envelope.type) {
      case 'agent.deploy.requested': {
        const result = await this.check(received, deployCommandPayload);
        return this.onChecked(envelope.type, received, delivery, result, (command) => ({
          kind: 'deploy',
          command,
        }));
      }
      case 'agent.rollback.requested': {
        const result = await this.check(received, rollbackCommandPayload);
        return this.onChecked(envelope.type, received, delivery, result, (command) => ({
          kind: 'rollback',
          command,
        }));
      }
      case 'agent.migrate.requested': {
        const result = await this.check(received, migrateCommandPayload);
        return this.onChecked(envelope.type, received, delivery, result, (command) => ({
          kind: 'migrate',
          command,
        }));
      }
      case 'agent.discovery.requested': {
        const result = await this.check(received, discoveryCommandPayload);
        if (!result.ok) return this.refuse(envelope.type, received, result.reason, result.detail);
        await this.options.steps.emit('agent.discovery.replied', {
          requestId: result.command.payload.requestId,
          nodeId: this.options.nodeId,
          facts: { ...this.options.facts },
          ...(await this.options.state()),
        });
        return 'handled';
      }
      case 'agent.state.requested': {
        // Read-only and unsigned: the bus already refused it unless the orchestrator's broker user
        // published it. Only the node it names answers.
        if (envelope.data.nodeId !== this.options.nodeId) return 'handled';
        await this.options.steps.emit('agent.state.reported', {
          nodeId: this.options.nodeId,
          requestId: envelope.data.requestId,
          ...stateReport(await this.options.state()),
        });
        return 'handled';
      }
      default:
        return 'handled';
    }
  }

  /** A command message that failed its schema: refused as unsigned or malformed, if it claims to be for us. */
  async handleInvalid(invalid: InvalidMessage): Promise<void> {
    if (!(AGENT_COMMAND_TYPES as readonly string[]).includes(invalid.routingKey)) return;
    const data = (invalid.body as { data?: unknown } | undefined)?.data;
    await this.refuse(invalid.routingKey, data, invalidCommandReason(data), invalid.error);
  }

  /** Resolves once no step is running or waiting. */
  idle(): Promise<void> {
    return this.gate.idle();
  }

  private check<S extends z.ZodType>(received: unknown, payloadSchema: S) {
    const { trustedKeys, nodeId, facts, nonceStore } = this.options;
    return checkCommand(received, { trustedKeys, nodeId, facts, nonceStore, payloadSchema, now: new Date() });
  }

  private async onChecked<P>(
    type: string,
    received: unknown,
    delivery: Delivery,
    result: CheckResult<P>,
    asStep: (command: SignedCommand<P>) => StepCommand,
  ): Promise<HandlingOutcome> {
    if (result.ok) return this.runStep(asStep(result.command));
    if (result.reason !== 'replayed' || result.command === undefined)
      return this.refuse(type, received, result.reason, result.detail);
    // Authentic, fresh, for us, and seen before. A broker redelivery (we died or lost the channel
    // before acking) gets the step's recorded result; any other copy is refused as replayed first.
    const step = asStep(result.command);
    const record = await this.options.steps.journal.get(step.command.payload.stepId);
    if (!delivery.redelivered) await this.refuse(type, received, result.reason, result.detail);
    if (record !== undefined && record.commandId === step.command.commandId) return this.runStep(step);
    if (record === undefined && delivery.redelivered) return this.runStep(step);
    return 'duplicate';
  }

  private async runStep(step: StepCommand): Promise<HandlingOutcome> {
    const { stepId } = step.command.payload;
    if (this.gate.isActive(stepId)) {
      this.options.logger.info({ stepId }, 'step already running or waiting; this copy is not run again');
      return 'duplicate';
    }
    return this.gate.run(stepId, async () => {
      const { journal } = this.options.steps;
      const decision = decideArrival(await journal.get(stepId), false);
      switch (decision.action) {
        case 'run':
          await this.execute(step);
          return 'handled';
        case 'report':
          await emitOutcome(this.options.steps, decision.record, true);
          return 'duplicate';
        case 'interrupted':
          await emitOutcome(
            this.options.steps,
            await journal.put(interruptStep(decision.record, new Date())),
            false,
          );
          return 'duplicate';
        case 'ignore':
          return 'duplicate';
      }
    });
  }

  private async execute(step: StepCommand): Promise<void> {
    const kind: StepKind = step.kind;
    this.options.logger.info(
      { kind, stepId: step.command.payload.stepId, commandId: step.command.commandId },
      'running step',
    );
    switch (step.kind) {
      case 'deploy':
        await runDeployStep(this.options.steps, step.command);
        return;
      case 'rollback':
        await runRollbackStep(this.options.steps, step.command);
        return;
      case 'migrate':
        await runMigrateStep(this.options.steps, step.command);
        return;
    }
  }

  private async refuse(
    commandType: string,
    received: unknown,
    reason: RejectionReason,
    detail: string,
  ): Promise<HandlingOutcome> {
    const { nodeId, facts, logger } = this.options;
    if (!claimsToAddress(received, nodeId, facts)) {
      logger.debug({ commandType, reason }, 'command for other nodes ignored');
      return 'handled';
    }
    logger.warn({ commandType, reason, detail }, 'command refused');
    const commandId = claimedCommandId(received);
    await this.options.steps.emit('agent.command.rejected', {
      nodeId,
      commandType: commandType.slice(0, 200),
      reason,
      detail: detail.slice(0, 2000),
      ...(commandId === undefined ? {} : { commandId }),
    });
    return 'handled';
  }
}
