import { ApiTokenEntity } from './api-token.entity';
import { ApprovalEntity } from './approval.entity';
import { ArtifactEntity } from './artifact.entity';
import { DeploymentEntity } from './deployment.entity';
import { PipelineRunEntity } from './pipeline-run.entity';
import { PipelineStageEntity } from './pipeline-stage.entity';
import { PromotionEntity } from './promotion.entity';
import { ServiceManifestEntity } from './service-manifest.entity';

export const pipelineEntities = [
  ApiTokenEntity,
  ServiceManifestEntity,
  PipelineRunEntity,
  PipelineStageEntity,
  ArtifactEntity,
  PromotionEntity,
  ApprovalEntity,
  DeploymentEntity,
];
