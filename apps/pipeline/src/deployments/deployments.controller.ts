import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { z } from 'zod';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentAction, Requires, type ApiAction } from '../auth/caller.decorator';
import { PERMISSIONS } from '../auth/role-policy';
import { ApiAuthenticated, ApiExampleResponse, ApiZodBody } from '../http/openapi.decorators';
import { validBody, validParam, validQuery } from '@conveyor/service-kit';
import { DeploymentControlService } from './deployment-control.service';
import {
  abortBody,
  emptyBody,
  excludeHostBody,
  listDeploymentsQuery,
  type AbortBody,
  type ExcludeHostBody,
  type ListDeploymentsQuery,
} from './deployment.schemas';

const id = '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c';
const viewExample = {
  id,
  service: 'shop',
  environment: 'prod',
  version: '1.4.2',
  manifestVersion: 3,
  status: 'running',
  requestedBy: 'carol',
  approvedBy: ['alice', 'bob'],
  plan: { minHealthy: 3, totalServers: 4, estimatedSeconds: 600 },
  batches: [
    {
      index: 0,
      kind: 'canary',
      servers: ['web-1'],
      status: 'completed',
      startedAt: '2025-03-01T10:00:01.000Z',
      completedAt: '2025-03-01T10:02:00.000Z',
      durationMs: 119000,
    },
  ],
  servers: {
    'web-1': { batchIndex: 0, step: 'online', detail: null, updatedAt: '2025-03-01T10:02:00.000Z' },
  },
  outcome: null,
};
const accepted = (requested: string) => ({ deploymentId: id, requested, status: 'running' });
const uuidParam = validParam('id', z.uuid());

@ApiTags('deployments')
@ApiAuthenticated(PERMISSIONS.controlDeployments)
@ApiNotFoundResponse({
  description: 'No such deployment.',
  schema: {
    type: 'object',
    example: { statusCode: 404, error: 'Not Found', message: `no deployment ${id}` },
  },
})
@UseGuards(AuthGuard)
@Controller('deployments')
export class DeploymentsController {
  constructor(private readonly deployments: DeploymentControlService) {}

  @Get()
  @Requires('read')
  @ApiOperation({ summary: 'Deployments of a service and environment, most recently updated first' })
  @ApiQuery({ name: 'service', required: false, example: 'shop' })
  @ApiQuery({ name: 'environment', required: false, example: 'prod' })
  @ApiQuery({ name: 'limit', required: false, example: 50 })
  @ApiExampleResponse(200, 'Deployments from the read model.', [viewExample])
  list(@Query(validQuery(listDeploymentsQuery)) query: ListDeploymentsQuery) {
    return this.deployments.list(query);
  }

  @Get(':id')
  @Requires('read')
  @ApiOperation({
    summary: 'A deployment: batches, per-server state, timings, outcome, the manifest version it used',
  })
  @ApiParam({ name: 'id', format: 'uuid', example: id })
  @ApiExampleResponse(200, 'The deployment.', viewExample)
  get(@Param('id', uuidParam) deploymentId: string) {
    return this.deployments.get(deploymentId);
  }

  @Post(':id/pause')
  @HttpCode(202)
  @Requires('controlDeployments')
  @ApiOperation({
    summary:
      'Ask the orchestrator to pause at the next batch boundary, the batch under way back online (deployment.pause.requested)',
  })
  @ApiParam({ name: 'id', format: 'uuid', example: id })
  @ApiZodBody(z.strictObject({}), {})
  @ApiExampleResponse(202, 'Forwarded.', accepted('deployment.pause.requested'))
  @ApiConflictResponse({ description: 'The deployment already finished.' })
  pause(
    @Param('id', uuidParam) deploymentId: string,
    @Body(validBody(emptyBody)) _body: unknown,
    @CurrentAction() action: ApiAction,
  ) {
    return this.deployments.control(deploymentId, { kind: 'pause' }, action);
  }

  @Post(':id/resume')
  @HttpCode(202)
  @Requires('controlDeployments')
  @ApiOperation({ summary: 'Ask the orchestrator to resume a paused rollout (deployment.resume.requested)' })
  @ApiParam({ name: 'id', format: 'uuid', example: id })
  @ApiZodBody(z.strictObject({}), {})
  @ApiExampleResponse(202, 'Forwarded.', accepted('deployment.resume.requested'))
  @ApiConflictResponse({ description: 'The deployment already finished.' })
  resume(
    @Param('id', uuidParam) deploymentId: string,
    @Body(validBody(emptyBody)) _body: unknown,
    @CurrentAction() action: ApiAction,
  ) {
    return this.deployments.control(deploymentId, { kind: 'resume' }, action);
  }

  @Post(':id/retry')
  @HttpCode(202)
  @Requires('controlDeployments')
  @ApiOperation({
    summary: 'Ask the orchestrator to retry the failed step of a held rollout (deployment.retry.requested)',
  })
  @ApiParam({ name: 'id', format: 'uuid', example: id })
  @ApiZodBody(z.strictObject({}), {})
  @ApiExampleResponse(202, 'Forwarded.', accepted('deployment.retry.requested'))
  @ApiConflictResponse({ description: 'The deployment already finished.' })
  retry(
    @Param('id', uuidParam) deploymentId: string,
    @Body(validBody(emptyBody)) _body: unknown,
    @CurrentAction() action: ApiAction,
  ) {
    return this.deployments.control(deploymentId, { kind: 'retry' }, action);
  }

  @Post(':id/abort')
  @HttpCode(202)
  @Requires('controlDeployments')
  @ApiOperation({ summary: 'Ask the orchestrator to abort (deployment.abort.requested)' })
  @ApiParam({ name: 'id', format: 'uuid', example: id })
  @ApiZodBody(abortBody, { reason: 'error rate rising in prod' })
  @ApiExampleResponse(202, 'Forwarded.', accepted('deployment.abort.requested'))
  @ApiConflictResponse({ description: 'The deployment already finished.' })
  abort(
    @Param('id', uuidParam) deploymentId: string,
    @Body(validBody(abortBody)) body: AbortBody,
    @CurrentAction() action: ApiAction,
  ) {
    return this.deployments.control(deploymentId, { kind: 'abort', reason: body.reason }, action);
  }

  @Post(':id/exclude-host')
  @HttpCode(202)
  @Requires('controlDeployments')
  @ApiOperation({
    summary: 'Leave one server out of the rest of the rollout (deployment.host.exclude.requested)',
  })
  @ApiParam({ name: 'id', format: 'uuid', example: id })
  @ApiZodBody(excludeHostBody, { serverId: 'web-3', reason: 'disk failing, replaced tomorrow' })
  @ApiExampleResponse(202, 'Forwarded.', accepted('deployment.host.exclude.requested'))
  @ApiConflictResponse({ description: 'The deployment already finished.' })
  excludeHost(
    @Param('id', uuidParam) deploymentId: string,
    @Body(validBody(excludeHostBody)) body: ExcludeHostBody,
    @CurrentAction() action: ApiAction,
  ) {
    return this.deployments.control(
      deploymentId,
      { kind: 'exclude-host', serverId: body.serverId, reason: body.reason },
      action,
    );
  }
}
