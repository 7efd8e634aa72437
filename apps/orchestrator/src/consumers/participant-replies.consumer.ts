import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventMap } from '@conveyor/contracts';
import { EventContext, OnEvent, type UnitOfWork } from '@conveyor/messaging';
import type { Logger } from '@conveyor/observability';
import { SERVICE_LOGGER } from '@conveyor/service-kit';
import type { DecisionInput } from '../domain/decide';
import { DeploymentEngine } from '../engine/deployment-engine.service';
import { AgentRepository } from '../persistence/agent.repository';
import { DeploymentRepository } from '../persistence/deployment.repository';

type AgentKind = 'deploy' | 'rollback' | 'migrate';
type AgentReport = EventMap['agent.deploy.succeeded'];
type AgentFailure = EventMap['agent.deploy.failed'];

/**
 * Answers of the pool manager, agents and verifier. Each is matched to the step it answers by
 * the id the orchestrator sent (operationId, stepId, verificationId, bakeId); answers to
 * anything else (another service's operations, a replayed copy) change nothing.
 */
@Controller()
export class ParticipantRepliesConsumer {
  constructor(
    private readonly engine: DeploymentEngine,
    private readonly deployments: DeploymentRepository,
    private readonly agents: AgentRepository,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  @OnEvent('pool.server.drained')
  async drained(@Payload() data: EventMap['pool.server.drained'], @Ctx() ctx: EventContext): Promise<void> {
    await this.byRequest(ctx.unit, data.operationId, { type: 'pool.drained', operationId: data.operationId });
  }

  @OnEvent('pool.server.enabled')
  async enabled(@Payload() data: EventMap['pool.server.enabled'], @Ctx() ctx: EventContext): Promise<void> {
    await this.byRequest(ctx.unit, data.operationId, { type: 'pool.enabled', operationId: data.operationId });
  }

  @OnEvent('pool.operation.failed')
  async poolFailed(
    @Payload() data: EventMap['pool.operation.failed'],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    const reason = `${data.reason} (${data.detail})`;
    await this.byRequest(ctx.unit, data.operationId, {
      type: 'pool.failed',
      operationId: data.operationId,
      operation: data.operation,
      reason,
    });
  }

  @OnEvent('agent.deploy.succeeded')
  async deploySucceeded(
    @Payload() data: EventMap['agent.deploy.succeeded'],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.agentSucceeded(ctx.unit, 'deploy', data);
  }

  @OnEvent('agent.deploy.failed')
  async deployFailed(
    @Payload() data: EventMap['agent.deploy.failed'],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.agentFailed(ctx.unit, 'deploy', data);
  }

  @OnEvent('agent.rollback.succeeded')
  async rollbackSucceeded(
    @Payload() data: EventMap['agent.rollback.succeeded'],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.agentSucceeded(ctx.unit, 'rollback', data);
  }

  @OnEvent('agent.rollback.failed')
  async rollbackFailed(
    @Payload() data: EventMap['agent.rollback.failed'],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.agentFailed(ctx.unit, 'rollback', data);
  }

  @OnEvent('agent.migrate.succeeded')
  async migrateSucceeded(
    @Payload() data: EventMap['agent.migrate.succeeded'],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.agentSucceeded(ctx.unit, 'migrate', data);
  }

  @OnEvent('agent.migrate.failed')
  async migrateFailed(
    @Payload() data: EventMap['agent.migrate.failed'],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.agentFailed(ctx.unit, 'migrate', data);
  }

  /** A refused command fails its step at once — except `replayed`: a copy of a command already accepted. */
  @OnEvent('agent.command.rejected')
  async commandRejected(
    @Payload() data: EventMap['agent.command.rejected'],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    if (data.reason === 'replayed' || data.commandId === undefined) return;
    const command = await this.agents.commandById(ctx.unit.manager, data.commandId);
    if (!command) return;
    const reason = `the agent refused the command (${data.reason}): ${data.detail}`;
    await this.engine.apply(ctx.unit, command.deploymentId, {
      type: 'agent.failed',
      kind: command.kind,
      stepId: command.stepId,
      nodeId: data.nodeId,
      reason,
    });
  }

  /** An agent says what it runs, answering the orchestrator's `agent.state.requested`. */
  @OnEvent('agent.state.reported')
  async stateReported(
    @Payload() data: EventMap['agent.state.reported'],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.byRequest(ctx.unit, data.requestId, {
      type: 'agent.state.reported',
      requestId: data.requestId,
      nodeId: data.nodeId,
      currentVersion: data.currentVersion,
    });
  }

  @OnEvent('verification.passed')
  async verificationPassed(
    @Payload() data: EventMap['verification.passed'],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.byRequest(ctx.unit, data.verificationId, {
      type: 'verification.passed',
      verificationId: data.verificationId,
    });
  }

  @OnEvent('verification.failed')
  async verificationFailed(
    @Payload() data: EventMap['verification.failed'],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    const failedServer = data.results.find((r) => r.verdict !== 'passed')?.serverId;
    await this.byRequest(ctx.unit, data.verificationId, {
      type: 'verification.failed',
      verificationId: data.verificationId,
      reason: data.reason,
      ...(failedServer ? { serverId: failedServer } : {}),
    });
  }

  @OnEvent('verification.bake.completed')
  async bakeCompleted(
    @Payload() data: EventMap['verification.bake.completed'],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.byRequest(ctx.unit, data.bakeId, {
      type: 'bake.completed',
      bakeId: data.bakeId,
      outcome: data.outcome,
      detail: data.detail,
    });
  }

  @OnEvent('health.degraded')
  async healthDegraded(
    @Payload() data: EventMap['health.degraded'],
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    if (!(await this.deployments.find(ctx.unit.manager, data.deploymentId))) return;
    await this.engine.apply(ctx.unit, data.deploymentId, {
      type: 'health.degraded',
      servers: data.servers,
      detail: data.detail,
    });
  }

  private async agentSucceeded(unit: UnitOfWork, kind: AgentKind, data: AgentReport): Promise<void> {
    await this.byStep(unit, data.stepId, {
      type: 'agent.succeeded',
      kind,
      stepId: data.stepId,
      nodeId: data.nodeId,
    });
  }

  private async agentFailed(unit: UnitOfWork, kind: AgentKind, data: AgentFailure): Promise<void> {
    const reason = `${kind} failed on ${data.nodeId} at ${data.phase}${data.hook ? ` (hook ${data.hook})` : ''}: ${data.reason}`;
    await this.byStep(unit, data.stepId, {
      type: 'agent.failed',
      kind,
      stepId: data.stepId,
      nodeId: data.nodeId,
      reason,
      ...(data.phase === 'interrupted' ? { interrupted: true } : {}),
    });
  }

  private async byRequest(unit: UnitOfWork, requestId: string, input: DecisionInput): Promise<void> {
    const deploymentId = await this.deployments.deploymentOfStep(unit.manager, { requestId });
    if (deploymentId) await this.engine.apply(unit, deploymentId, input);
    else
      this.logger.debug(
        { requestId, input: input.type },
        'answer to a request the orchestrator did not make',
      );
  }

  private async byStep(unit: UnitOfWork, stepId: string, input: DecisionInput): Promise<void> {
    const deploymentId = await this.deployments.deploymentOfStep(unit.manager, { stepId });
    if (deploymentId) await this.engine.apply(unit, deploymentId, input);
    else
      this.logger.debug(
        { stepId, input: input.type },
        'agent report for a step the orchestrator did not issue',
      );
  }
}
