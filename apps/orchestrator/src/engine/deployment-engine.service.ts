import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type { DeploymentRejected, DeploymentRequested, EventType } from '@conveyor/contracts';
import type { EmitOptions, UnitOfWork } from '@conveyor/messaging';
import type { Logger } from '@conveyor/observability';
import { AMQP_CONNECTION, SERVICE_LOGGER } from '@conveyor/service-kit';
import { ORCHESTRATOR_SETTINGS, type OrchestratorSettings } from '../config/orchestrator-env';
import { checkDeploymentProof } from '../domain/check-deployment-proof';
import { decide, type DecisionInput } from '../domain/decide';
import type { Decision, DeploymentState, Emission } from '../domain/deployment-state.types';
import { startDeployment } from '../domain/start-deployment';
import { AGENT_STEP_KINDS } from '../domain/transition';
import { OrchestratorMetrics } from '../metrics/orchestrator-metrics';
import { AgentRepository } from '../persistence/agent.repository';
import { DeploymentRepository } from '../persistence/deployment.repository';
import { CommandSigner } from './command-signer.service';

type Emit = (type: EventType, data: unknown, options: EmitOptions) => unknown;

/**
 * Runs the state machine durably: in the caller's transaction (the inbox's, or the scheduler's)
 * it locks the deployment, decides, writes the new state and steps, and emits the events and
 * signed agent commands — one commit for all of it.
 */
@Injectable()
export class DeploymentEngine implements OnModuleDestroy {
  /**
   * Since when this instance has heard heartbeats without a break: its start, then each reconnect
   * of its broker connection. While the connection is down it hears nothing, so no agent's silence
   * counts (ticks pass `now`); after a reconnect every agent gets a fresh grace period.
   */
  private listeningSince = Date.now();
  private connected: boolean;
  /** The database did not answer the last scheduler round: heartbeats are not being recorded either. */
  private databaseDown = false;
  private readonly onConnect = () => {
    this.connected = true;
    this.listeningSince = Date.now();
    this.logger.info({}, 'broker connection (re)established: agent silence is counted from now');
  };
  private readonly onDisconnect = () => {
    if (this.connected)
      this.logger.warn({}, 'broker connection lost: agent silence is not counted until it returns');
    this.connected = false;
  };

  constructor(
    @Inject(AMQP_CONNECTION) private readonly connection: AmqpConnectionManager,
    private readonly deployments: DeploymentRepository,
    private readonly agents: AgentRepository,
    private readonly signer: CommandSigner,
    private readonly metrics: OrchestratorMetrics,
    @Inject(ORCHESTRATOR_SETTINGS) private readonly settings: OrchestratorSettings,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {
    this.connected = connection.isConnected();
    connection.on('connect', this.onConnect);
    connection.on('disconnect', this.onDisconnect);
  }

  onModuleDestroy(): void {
    this.connection.removeListener('connect', this.onConnect);
    this.connection.removeListener('disconnect', this.onDisconnect);
  }

  /** Since when agent silence counts: `now` while the broker connection or the database is down. */
  private heardSince(now: number): number {
    return this.connected && this.connection.isConnected() && !this.databaseDown ? this.listeningSince : now;
  }

  /** A scheduler round could not reach the database: no heartbeat is recorded meanwhile. */
  databaseLost(): void {
    if (!this.databaseDown)
      this.logger.warn({}, 'database unreachable: agent silence is not counted until it answers');
    this.databaseDown = true;
  }

  /** A scheduler round reached the database again: silence counts from now (heartbeats catch up). */
  databaseAnswered(): void {
    if (!this.databaseDown) return;
    this.databaseDown = false;
    this.listeningSince = Date.now();
    this.logger.info({}, 'database answers again: agent silence is counted from now');
  }

  /**
   * Starts a requested deployment, or refuses it with the reason. A repeated request changes
   * nothing. Nothing starts, and no command is signed, unless the request's proof holds.
   */
  async request(data: DeploymentRequested, unit: UnitOfWork, correlationId: string): Promise<void> {
    const { manager } = unit;
    if (await this.deployments.find(manager, data.deploymentId)) {
      this.logger.info({ deploymentId: data.deploymentId }, 'deployment already known; request ignored');
      return;
    }
    const proof = checkDeploymentProof(data, new Date());
    if (!proof.ok) {
      this.reject(unit, data, 'proof_refused', proof.problems.join('; ').slice(0, 4000), correlationId);
      return;
    }
    await this.deployments.lockSlot(manager, data.service, data.environment);
    const active = await this.deployments.activeFor(manager, data.service, data.environment);
    if (active) {
      this.reject(
        unit,
        data,
        'deployment_in_progress',
        `deployment ${active.deploymentId} of ${data.service} to ${data.environment} is ${active.status}; wait for it to end, or abort it`,
        correlationId,
      );
      return;
    }
    const context = {
      agents: await this.agents.knownAgents(manager),
      agentSilenceMs: this.settings.agentSilenceMs,
      agentReconnectGraceMs: this.settings.agentReconnectGraceMs,
      livenessCheckMs: this.settings.livenessCheckMs,
      commandResends: this.settings.commandResends,
    };
    const result = startDeployment(data, context, Date.now(), correlationId);
    if (!result.ok) {
      this.reject(unit, data, result.reason, result.detail, correlationId);
      return;
    }
    await this.deployments.insert(
      manager,
      result.decision.state,
      this.settings.instanceId,
      this.settings.leaseMs,
    );
    await this.publish(unit, result.decision);
    this.metrics.recordTransition(undefined, result.decision);
    this.logger.info(
      {
        deploymentId: data.deploymentId,
        batches: result.plan.batches.length,
        floor: result.plan.strategy.floor,
      },
      'deployment started',
    );
  }

  /** Feeds one input to a deployment's state machine. */
  async apply(unit: UnitOfWork, deploymentId: string, input: DecisionInput): Promise<Decision | undefined> {
    const before = await this.deployments.lock(unit.manager, deploymentId);
    if (!before) {
      this.logger.warn({ deploymentId, input: input.type }, 'no such deployment; input ignored');
      return undefined;
    }
    return this.transition(unit, before, input);
  }

  /** Fires the deadline of one due deployment this instance holds; false when none is due. */
  async fireDue(unit: UnitOfWork): Promise<boolean> {
    const now = Date.now();
    const before = await this.deployments.lockDue(unit.manager, this.settings.instanceId, now);
    if (!before) return false;
    const watched = before.steps
      .filter((s) => s.status === 'issued' && AGENT_STEP_KINDS.includes(s.kind))
      .map((s) => s.servers[0] ?? '');
    const lastHeartbeats = await this.agents.lastHeartbeats(unit.manager, watched);
    const othersHeardAt = await this.agents.freshestHeartbeatExcept(unit.manager, watched);
    await this.transition(
      unit,
      before,
      {
        type: 'tick',
        lastHeartbeats,
        listeningSince: this.heardSince(now),
        ...(othersHeardAt === null ? {} : { othersHeardAt }),
      },
      now,
    );
    return true;
  }

  private async transition(
    unit: UnitOfWork,
    before: DeploymentState,
    input: DecisionInput,
    now = Date.now(),
  ): Promise<Decision> {
    const decision = decide(before, input, now);
    if (decision.ignored)
      this.logger.debug(
        { deploymentId: before.deploymentId, input: input.type, why: decision.ignored },
        'input changed nothing',
      );
    await this.deployments.save(
      unit.manager,
      before,
      decision.state,
      this.settings.instanceId,
      this.settings.leaseMs,
    );
    await this.publish(unit, decision);
    this.metrics.recordTransition(before, decision);
    if (decision.state.status !== before.status) {
      this.logger.info(
        {
          deploymentId: before.deploymentId,
          from: before.status,
          to: decision.state.status,
          input: input.type,
        },
        'deployment moved on',
      );
    }
    return decision;
  }

  private async publish(unit: UnitOfWork, decision: Decision): Promise<void> {
    const { state } = decision;
    const options: EmitOptions = {
      subject: state.deploymentId,
      ...(state.correlationId ? { correlationId: state.correlationId } : {}),
    };
    const emit = unit.emit.bind(unit) as Emit;
    for (const event of decision.events) emitEvent(emit, event, options);
    for (const intent of decision.commands) {
      const signed = this.signer.sign(intent);
      emit(signed.type, signed.data, options);
      await this.agents.recordCommand(unit.manager, {
        commandId: signed.data.commandId,
        stepId: intent.payload.stepId,
        deploymentId: state.deploymentId,
        nodeId: intent.nodeId,
        kind: intent.kind,
      });
    }
  }

  private reject(
    unit: UnitOfWork,
    data: DeploymentRequested,
    reason: DeploymentRejected['reason'],
    detail: string,
    correlationId: string,
  ): void {
    unit.emit(
      'deployment.rejected',
      {
        deploymentId: data.deploymentId,
        service: data.service,
        environment: data.environment,
        reason,
        detail,
      },
      { subject: data.deploymentId, correlationId },
    );
    this.metrics.recordRejected(data.service, data.environment);
    this.logger.warn({ deploymentId: data.deploymentId, reason, detail }, 'deployment rejected');
  }
}

function emitEvent(emit: Emit, event: Emission, options: EmitOptions): void {
  emit(event.type, event.data, options);
}
