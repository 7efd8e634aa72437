import { Module, type DynamicModule } from '@nestjs/common';
import { ORCHESTRATOR_SETTINGS, orchestratorSettings, type OrchestratorEnv } from './config/orchestrator-env';
import { AgentHeartbeatsConsumer } from './consumers/agent-heartbeats.consumer';
import { AgentsController } from './http/agents.controller';
import { DeploymentRequestsConsumer } from './consumers/deployment-requests.consumer';
import { ParticipantRepliesConsumer } from './consumers/participant-replies.consumer';
import { CommandSigner } from './engine/command-signer.service';
import { DeadlineScheduler } from './engine/deadline-scheduler.service';
import { DeploymentEngine } from './engine/deployment-engine.service';
import { DeploymentsController } from './http/deployments.controller';
import { OrchestratorMetrics } from './metrics/orchestrator-metrics';
import { AgentRepository } from './persistence/agent.repository';
import { DeploymentRepository } from './persistence/deployment.repository';

/** Rollout plans and their durable state machine. */
@Module({})
export class OrchestratorModule {
  static register(kit: DynamicModule, env: OrchestratorEnv): DynamicModule {
    return {
      module: OrchestratorModule,
      imports: [kit],
      controllers: [
        DeploymentRequestsConsumer,
        ParticipantRepliesConsumer,
        AgentHeartbeatsConsumer,
        DeploymentsController,
        AgentsController,
      ],
      providers: [
        { provide: ORCHESTRATOR_SETTINGS, useValue: orchestratorSettings(env) },
        DeploymentRepository,
        AgentRepository,
        CommandSigner,
        OrchestratorMetrics,
        DeploymentEngine,
        DeadlineScheduler,
      ],
    };
  }
}
