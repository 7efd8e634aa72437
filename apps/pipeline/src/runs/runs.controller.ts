import { Body, Controller, Get, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentAction, Requires, type ApiAction } from '../auth/caller.decorator';
import { PERMISSIONS } from '../auth/role-policy';
import { ApiAuthenticated, ApiExampleResponse, ApiZodBody } from '../http/openapi.decorators';
import { validBody, validParam, validQuery } from '@conveyor/service-kit';
import {
  createRunBody,
  listRunsQuery,
  publishArtifactBody,
  reportStageBody,
  type CreateRunBody,
  type PublishArtifactBody,
  type ReportStageBody,
} from './run.schemas';
import { outcomeStatus, RunsService } from './runs.service';

const runId = '7d9c1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f';
const sha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const runBody = {
  service: 'shop',
  version: '1.4.2',
  commit: '9fceb02d0ae598e95dc970b74767f19372d61af8',
  branch: 'main',
  jobUrl: 'https://jenkins.example.com/job/shop/job/main/',
  buildNumber: 412,
  committedAt: '2025-03-01T09:12:00Z',
};
const stageBody = {
  name: 'unit tests',
  status: 'succeeded',
  startedAt: '2025-03-01T09:20:00Z',
  finishedAt: '2025-03-01T09:24:10Z',
  tests: { total: 1342, failed: 0, skipped: 4 },
};
const artifactBody = { url: 'https://artifacts.example.com/shop/shop-1.4.2.zip', sha256, size: 48_213_004 };
const uuidParam = validParam('id', z.uuid());

@ApiTags('runs')
@ApiAuthenticated(PERMISSIONS.reportBuilds)
@ApiNotFoundResponse({ description: 'No such run, or the service is not in the catalogue.' })
@UseGuards(AuthGuard)
@Controller('runs')
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  @Post()
  @Requires('reportBuilds')
  @ApiOperation({ summary: 'Create a pipeline run (Jenkins). The same build again is the same run (200).' })
  @ApiZodBody(createRunBody, runBody)
  @ApiExampleResponse(201, 'The new run.', { id: runId, ...runBody, stages: [], artifacts: [] })
  @ApiExampleResponse(200, 'This build was already reported: the same run.', {
    id: runId,
    ...runBody,
    stages: [],
    artifacts: [],
  })
  async create(
    @Body(validBody(createRunBody)) body: CreateRunBody,
    @CurrentAction() action: ApiAction,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.runs.createRun(body, action);
    res.status(outcomeStatus(result.outcome));
    return result.run;
  }

  @Post(':id/stages')
  @Requires('reportBuilds')
  @ApiOperation({
    summary:
      'Report a stage of a run: name, status, times, test totals. The same report twice is one report.',
  })
  @ApiParam({ name: 'id', format: 'uuid', example: runId })
  @ApiZodBody(reportStageBody, stageBody)
  @ApiExampleResponse(201, 'A new stage.', { outcome: 'created', stage: stageBody })
  @ApiExampleResponse(200, 'An update of the stage, or the same report again.', {
    outcome: 'unchanged',
    stage: stageBody,
  })
  async stage(
    @Param('id', uuidParam) id: string,
    @Body(validBody(reportStageBody)) body: ReportStageBody,
    @CurrentAction() action: ApiAction,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.runs.reportStage(id, body, action);
    res.status(outcomeStatus(result.outcome));
    return result;
  }

  @Post(':id/artifacts')
  @Requires('reportBuilds')
  @ApiOperation({
    summary: 'Publish the artifact of a run: URL, sha256, size',
    description:
      'The same artifact again changes nothing (200). Another sha256 for the same version replaces it and voids approvals bound to the old one.',
  })
  @ApiParam({ name: 'id', format: 'uuid', example: runId })
  @ApiZodBody(publishArtifactBody, artifactBody)
  @ApiExampleResponse(201, 'Published.', {
    outcome: 'created',
    artifact: {
      id: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
      service: 'shop',
      version: '1.4.2',
      ...artifactBody,
      runId,
    },
  })
  @ApiUnprocessableEntityResponse({ description: "The artifact's version is not the run's." })
  async artifact(
    @Param('id', uuidParam) id: string,
    @Body(validBody(publishArtifactBody)) body: PublishArtifactBody,
    @CurrentAction() action: ApiAction,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.runs.publishArtifact(id, body, action);
    res.status(outcomeStatus(result.outcome));
    return result;
  }

  @Get()
  @Requires('read')
  @ApiOperation({ summary: 'Pipeline runs, newest first' })
  @ApiQuery({ name: 'service', required: false, example: 'shop' })
  @ApiQuery({ name: 'limit', required: false, example: 50 })
  @ApiExampleResponse(200, 'Runs (without stages and artifacts).', [{ id: runId, ...runBody }])
  list(@Query(validQuery(listRunsQuery)) query: z.infer<typeof listRunsQuery>) {
    return this.runs.listRuns(query.service, query.limit);
  }

  @Get(':id')
  @Requires('read')
  @ApiOperation({ summary: 'A run with its stages and artifacts' })
  @ApiParam({ name: 'id', format: 'uuid', example: runId })
  @ApiExampleResponse(200, 'The run.', {
    id: runId,
    ...runBody,
    stages: [stageBody],
    artifacts: [artifactBody],
  })
  get(@Param('id', uuidParam) id: string) {
    return this.runs.getRun(id);
  }
}
