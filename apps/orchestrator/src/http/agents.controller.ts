import { Controller, Get, Inject, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ANY_API_ROLE, ApiRoles, validQuery } from '@conveyor/service-kit';
import { ORCHESTRATOR_SETTINGS, type OrchestratorSettings } from '../config/orchestrator-env';
import { AgentRepository } from '../persistence/agent.repository';
import { agentsQuery, agentViews, type AgentsQuery, type AgentView } from './agents-view';

/** Discovery: every agent the orchestrator hears, its facts, version and last heartbeat; `?facts=k=v,…` selects. */
@Controller('agents')
@ApiRoles(...ANY_API_ROLE)
export class AgentsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly agents: AgentRepository,
    @Inject(ORCHESTRATOR_SETTINGS) private readonly settings: OrchestratorSettings,
  ) {}

  @Get()
  async list(@Query(validQuery(agentsQuery)) query: AgentsQuery): Promise<AgentView[]> {
    const rows = await this.agents.listAll(this.dataSource.manager);
    return agentViews(rows, query.facts, Date.now(), this.settings.agentSilenceMs);
  }
}
