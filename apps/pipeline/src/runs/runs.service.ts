import { DataSource, type EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { HttpException, Injectable } from '@nestjs/common';
import { TransactionalBus } from '@conveyor/messaging';
import { ActionAuditService } from '../auth/action-audit.service';
import { emitApiAction } from '../auth/api-action';
import type { ApiAction } from '../auth/caller.decorator';
import { ManifestsRepository } from '../catalogue/manifests.repository';
import type { ArtifactEntity } from '../persistence/artifact.entity';
import type { PipelineRunEntity } from '../persistence/pipeline-run.entity';
import type { PipelineStageEntity } from '../persistence/pipeline-stage.entity';
import { conflict, notFound, unprocessable } from '../http/api-errors';
import type { CreateRunBody, PublishArtifactBody, ReportStageBody } from './run.schemas';
import { RunsRepository } from './runs.repository';
import { artifactView, runView, stageView, type RunView } from './run.views';

/** What a report did: `created` (201), `updated` or `unchanged` (a retry; 200). */
export type ReportOutcome = 'created' | 'updated' | 'unchanged';
export const outcomeStatus = (outcome: ReportOutcome) => (outcome === 'created' ? 201 : 200);

@Injectable()
export class RunsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: TransactionalBus,
    private readonly runs: RunsRepository,
    private readonly manifests: ManifestsRepository,
    private readonly audit: ActionAuditService,
  ) {}

  /** Creates a run; the same build reported again (a Jenkins retry) is the same run. */
  async createRun(body: CreateRunBody, action: ApiAction): Promise<{ outcome: ReportOutcome; run: RunView }> {
    if (!(await this.manifests.latest(this.dataSource.manager, body.service)))
      throw notFound(`no service ${body.service} in the catalogue; PUT /services/${body.service} first`);
    return this.bus.transaction(async (unit) => {
      await this.runs.lockKey(unit.manager, `${body.service}:${body.version}:${body.commit}`);
      const candidate = { ...body, jobUrl: body.jobUrl ?? null, buildNumber: body.buildNumber ?? null };
      const existing = await this.runs.findSameRun(unit.manager, candidate);
      if (existing) {
        emitApiAction(
          unit,
          action,
          200,
          `run of ${body.service} ${body.version} already reported`,
          existing.id,
        );
        return { outcome: 'unchanged' as const, run: runView(existing, [], []) };
      }
      const run: PipelineRunEntity = {
        id: randomUUID(),
        ...candidate,
        committedAt: body.committedAt ? new Date(body.committedAt) : null,
        createdBy: action.caller.name,
        createdAt: new Date(),
      };
      await this.runs.insertRun(unit.manager, run);
      unit.emit(
        'pipeline.run.created',
        {
          runId: run.id,
          service: run.service,
          version: run.version,
          commit: run.commit,
          branch: run.branch,
          jobUrl: body.jobUrl,
          buildNumber: body.buildNumber,
          committedAt: body.committedAt,
        },
        { actor: action.caller.name, subject: run.id },
      );
      emitApiAction(
        unit,
        action,
        201,
        `created run of ${run.service} ${run.version} (${run.commit.slice(0, 12)} on ${run.branch})`,
        run.id,
      );
      return { outcome: 'created' as const, run: runView(run, [], []) };
    });
  }

  /** Records a stage report; the same report twice is one report. */
  async reportStage(
    runId: string,
    body: ReportStageBody,
    action: ApiAction,
  ): Promise<{ outcome: ReportOutcome; stage: ReturnType<typeof stageView> }> {
    return this.bus.transaction(async (unit) => {
      const run = await this.requireRun(unit.manager, runId);
      await this.runs.lockKey(unit.manager, runId);
      const existing = (await this.runs.stages(unit.manager, runId)).find((s) => s.name === body.name);
      const stage: PipelineStageEntity = {
        runId,
        name: body.name,
        environment: body.environment ?? null,
        status: body.status,
        startedAt: body.startedAt ? new Date(body.startedAt) : null,
        finishedAt: body.finishedAt ? new Date(body.finishedAt) : null,
        tests: body.tests ?? null,
        reportedAt: existing?.reportedAt ?? new Date(),
      };
      const outcome: ReportOutcome = !existing
        ? 'created'
        : sameStage(existing, stage)
          ? 'unchanged'
          : 'updated';
      if (outcome !== 'unchanged') {
        stage.reportedAt = new Date();
        await this.runs.saveStage(unit.manager, stage);
        unit.emit(
          'pipeline.stage.reported',
          { runId, ...body },
          { actor: action.caller.name, subject: runId },
        );
      }
      emitApiAction(
        unit,
        action,
        outcomeStatus(outcome),
        `stage ${body.name} of ${run.service} ${run.version}: ${body.status} (${outcome})`,
        runId,
      );
      return { outcome, stage: stageView(outcome === 'unchanged' && existing ? existing : stage) };
    });
  }

  /**
   * Publishes the run's artifact. An artifact is immutable per service and version: another sha256
   * for a published version is refused (409, naming both digests) and recorded; the same sha256
   * again is a retry.
   */
  async publishArtifact(
    runId: string,
    body: PublishArtifactBody,
    action: ApiAction,
  ): Promise<{ outcome: ReportOutcome; artifact: ReturnType<typeof artifactView> }> {
    type Published =
      | { ok: true; outcome: ReportOutcome; artifact: ReturnType<typeof artifactView> }
      | { ok: false; error: HttpException; subject: string };
    const result = await this.bus.transaction<Published>(async (unit) => {
      const run = await this.requireRun(unit.manager, runId);
      const version = body.version ?? run.version;
      if (version !== run.version)
        throw unprocessable(`the artifact's version ${version} is not the run's version ${run.version}`);
      await this.runs.lockKey(unit.manager, `${run.service}:${version}:artifact`);
      const existing = await this.runs.artifact(unit.manager, run.service, version);
      if (existing && existing.sha256 !== body.sha256)
        return {
          ok: false,
          subject: existing.id,
          error: conflict(
            `${run.service} ${version} is already published with sha256 ${existing.sha256}; an artifact never changes, so sha256 ${body.sha256} is refused (publish it as a new version)`,
          ),
        };
      const same =
        existing &&
        existing.url === body.url &&
        existing.sha256 === body.sha256 &&
        existing.size === body.size &&
        existing.runId === runId;
      if (existing && same) {
        emitApiAction(
          unit,
          action,
          200,
          `artifact of ${run.service} ${version} already published`,
          existing.id,
        );
        return { ok: true, outcome: 'unchanged' as const, artifact: artifactView(existing) };
      }
      const artifact: ArtifactEntity = {
        id: existing?.id ?? randomUUID(),
        service: run.service,
        version,
        url: body.url,
        sha256: body.sha256,
        size: body.size,
        runId,
        publishedBy: action.caller.name,
        publishedAt: new Date(),
      };
      await this.runs.saveArtifact(unit.manager, artifact);
      unit.emit(
        'artifact.published',
        {
          artifactId: artifact.id,
          runId,
          service: run.service,
          version,
          url: body.url,
          sha256: body.sha256,
          size: body.size,
        },
        { actor: action.caller.name, subject: artifact.id },
      );
      const outcome: ReportOutcome = existing ? 'updated' : 'created';
      emitApiAction(
        unit,
        action,
        outcomeStatus(outcome),
        `published artifact of ${run.service} ${version} (sha256 ${body.sha256.slice(0, 12)}…)`,
        artifact.id,
      );
      return { ok: true, outcome, artifact: artifactView(artifact) };
    });
    if (!result.ok) throw await this.audit.refused(action, result.error, result.subject);
    return { outcome: result.outcome, artifact: result.artifact };
  }

  async getRun(runId: string): Promise<RunView> {
    const run = await this.requireRun(this.dataSource.manager, runId);
    return runView(
      run,
      await this.runs.stages(this.dataSource.manager, runId),
      await this.runs.artifactsOfRun(this.dataSource.manager, runId),
    );
  }

  async listRuns(service: string | undefined, limit: number): Promise<RunView[]> {
    return (await this.runs.listRuns(this.dataSource.manager, service, limit)).map((run) =>
      runView(run, [], []),
    );
  }

  private async requireRun(manager: EntityManager, runId: string): Promise<PipelineRunEntity> {
    const run = await this.runs.findRun(manager, runId);
    if (!run) throw notFound(`no pipeline run ${runId}`);
    return run;
  }
}

function sameStage(a: PipelineStageEntity, b: PipelineStageEntity): boolean {
  return (
    a.status === b.status &&
    a.environment === b.environment &&
    a.startedAt?.getTime() === b.startedAt?.getTime() &&
    a.finishedAt?.getTime() === b.finishedAt?.getTime() &&
    JSON.stringify(a.tests) === JSON.stringify(b.tests)
  );
}
