import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventMap } from '@conveyor/contracts';
import { EventContext, OnEvent } from '@conveyor/messaging';
import { DeploymentEngine } from '../engine/deployment-engine.service';
import { AgentRepository } from '../persistence/agent.repository';
import { DeploymentRepository } from '../persistence/deployment.repository';

/**
 * Agents' liveness and facts: a silent agent fails its step; facts select targets and addresses. An
 * agent that (re)registers is sent again whatever it has not answered.
 */
@Controller()
export class AgentHeartbeatsConsumer {
  constructor(
    private readonly agents: AgentRepository,
    private readonly deployments: DeploymentRepository,
    private readonly engine: DeploymentEngine,
  ) {}

  @OnEvent('agent.heartbeat')
  async heartbeat(@Payload() data: EventMap['agent.heartbeat'], @Ctx() ctx: EventContext): Promise<void> {
    await this.agents.recordHeartbeat(ctx.unit.manager, {
      nodeId: data.nodeId,
      facts: data.facts,
      currentVersion: data.currentVersion,
      intervalMs: data.intervalMs,
    });
  }

  @OnEvent('agent.registered')
  async registered(@Payload() data: EventMap['agent.registered'], @Ctx() ctx: EventContext): Promise<void> {
    await this.agents.recordHeartbeat(ctx.unit.manager, {
      nodeId: data.nodeId,
      facts: data.facts,
      currentVersion: data.currentVersion,
      intervalMs: null,
    });
    for (const deploymentId of await this.deployments.awaitingAgent(ctx.unit.manager, data.nodeId)) {
      await this.engine.apply(ctx.unit, deploymentId, { type: 'agent.returned', nodeId: data.nodeId });
    }
  }
}
