import { DeadLettersController } from './dead-letters/dead-letters.controller';
import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { AuditCheckpointsConsumer } from './audit-checkpoints/audit-checkpoints.consumer';
import { AuditCheckpointsRepository } from './audit-checkpoints/audit-checkpoints.repository';
import { ActionAuditService } from './auth/action-audit.service';
import { ApiTokensRepository } from './auth/api-tokens.repository';
import { AuthGuard } from './auth/auth.guard';
import { DeniedCallsRecorder } from './auth/denied-calls.recorder';
import { IdentityAnnouncer } from './auth/identity-announcer.service';
import { TokensController } from './auth/tokens.controller';
import { TokensService } from './auth/tokens.service';
import { CatalogueController } from './catalogue/catalogue.controller';
import { CatalogueService } from './catalogue/catalogue.service';
import { ManifestsRepository } from './catalogue/manifests.repository';
import { PIPELINE_SETTINGS, pipelineSettings, type PipelineEnv } from './config/pipeline-env';
import { DeploymentControlService } from './deployments/deployment-control.service';
import { DeploymentEventsConsumer } from './deployments/deployment-events.consumer';
import { DeploymentsController } from './deployments/deployments.controller';
import { DeploymentsRepository } from './deployments/deployments.repository';
import { ReadModelService } from './deployments/read-model.service';
import { TextBodyMiddleware } from './http/text-body.middleware';
import { DoraMetricsService } from './insights/dora-metrics.service';
import { InsightsController } from './insights/insights.controller';
import { ApprovalVoidingService } from './promotions/approval-voiding.service';
import { ApprovalsService } from './promotions/approvals.service';
import { DeploymentRequesterService } from './promotions/deployment-requester.service';
import { PromotionBindingService } from './promotions/promotion-binding.service';
import { PromotionsController } from './promotions/promotions.controller';
import { PromotionsRepository } from './promotions/promotions.repository';
import { PromotionsService } from './promotions/promotions.service';
import { RunsController } from './runs/runs.controller';
import { RunsRepository } from './runs/runs.repository';
import { RunsService } from './runs/runs.service';

const repositories = [
  ApiTokensRepository,
  ManifestsRepository,
  RunsRepository,
  PromotionsRepository,
  DeploymentsRepository,
  AuditCheckpointsRepository,
];
const services = [
  ActionAuditService,
  DeniedCallsRecorder,
  TokensService,
  CatalogueService,
  RunsService,
  PromotionBindingService,
  ApprovalVoidingService,
  DeploymentRequesterService,
  PromotionsService,
  ApprovalsService,
  DeploymentControlService,
  ReadModelService,
  DoraMetricsService,
  IdentityAnnouncer,
];

/** The internal HTTP API Jenkins and operators call: service catalogue, runs, artifacts, promotions, approvals, deployment read model, DORA. */
@Module({})
export class PipelineModule implements NestModule {
  static register(kit: DynamicModule, env: PipelineEnv): DynamicModule {
    return {
      module: PipelineModule,
      imports: [kit],
      controllers: [
        CatalogueController,
        RunsController,
        PromotionsController,
        DeploymentsController,
        InsightsController,
        TokensController,
        DeadLettersController,
        DeploymentEventsConsumer,
        AuditCheckpointsConsumer,
      ],
      providers: [
        { provide: PIPELINE_SETTINGS, useValue: pipelineSettings(env) },
        AuthGuard,
        ...repositories,
        ...services,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(TextBodyMiddleware).forRoutes(CatalogueController);
  }
}
