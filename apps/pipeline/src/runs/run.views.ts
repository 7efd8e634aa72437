import type { ArtifactEntity } from '../persistence/artifact.entity';
import type { PipelineRunEntity } from '../persistence/pipeline-run.entity';
import type { PipelineStageEntity } from '../persistence/pipeline-stage.entity';

export const stageView = (s: PipelineStageEntity) => ({
  name: s.name,
  status: s.status,
  environment: s.environment,
  startedAt: s.startedAt?.toISOString() ?? null,
  finishedAt: s.finishedAt?.toISOString() ?? null,
  tests: s.tests,
  reportedAt: s.reportedAt.toISOString(),
});

export const artifactView = (a: ArtifactEntity) => ({
  id: a.id,
  service: a.service,
  version: a.version,
  url: a.url,
  sha256: a.sha256,
  size: a.size,
  runId: a.runId,
  publishedBy: a.publishedBy,
  publishedAt: a.publishedAt.toISOString(),
});

export const runView = (
  run: PipelineRunEntity,
  stages: PipelineStageEntity[],
  artifacts: ArtifactEntity[],
) => ({
  id: run.id,
  service: run.service,
  version: run.version,
  commit: run.commit,
  branch: run.branch,
  jobUrl: run.jobUrl,
  buildNumber: run.buildNumber,
  committedAt: run.committedAt?.toISOString() ?? null,
  createdBy: run.createdBy,
  createdAt: run.createdAt.toISOString(),
  stages: stages.map(stageView),
  artifacts: artifacts.map(artifactView),
});
export type RunView = ReturnType<typeof runView>;
