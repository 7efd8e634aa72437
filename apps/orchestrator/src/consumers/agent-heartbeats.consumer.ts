import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { EventMap } from '@conveyor/contracts';
import { EventContext, OnEvent } from '@conveyor/messaging';
import { AgentRepository } from '../persistence/agent.repository';

/** Agents' liveness and facts: a silent agent fails its step; facts select targets and addresses. */
@Controller()
export class AgentHeartbeatsConsumer {
  constructor(private readonly agents: AgentRepository) {}

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
  }
}
