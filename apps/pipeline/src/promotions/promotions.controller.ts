import { Body, Controller, Get, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentAction, Requires, type ApiAction } from '../auth/caller.decorator';
import { PERMISSIONS } from '../auth/role-policy';
import { ApiAuthenticated, ApiExampleResponse, ApiZodBody } from '../http/openapi.decorators';
import { validBody, validParam, validQuery } from '@conveyor/service-kit';
import { ApprovalsService } from './approvals.service';
import {
  approveBody,
  listPromotionsQuery,
  requestPromotionBody,
  type ApproveBody,
  type ListPromotionsQuery,
  type RequestPromotionBody,
} from './promotion.schemas';
import { PromotionsService } from './promotions.service';

const id = '0b8e7f1e-2a4b-4d6c-9f3e-5a7b8c9d0e1f';
const planHash = '9c1185a5c5e9fc54612808977ee8f548b2258d31b5f1c9b6c3f8a2d4e5f60718';
const promotionExample = {
  id,
  service: 'shop',
  version: '1.4.2',
  fromEnvironment: 'staging',
  toEnvironment: 'prod',
  status: 'awaiting_approval',
  requestedBy: 'carol',
  deploymentId: null,
  planHash,
  artifactSha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  manifestVersion: 3,
  approvals: {
    required: 2,
    separationOfDuties: true,
    expiresAfterHours: 24,
    valid: ['alice'],
    missing: 1,
    voided: [],
    given: [],
  },
};
const uuidParam = validParam('id', z.uuid());

@ApiTags('promotions')
@ApiAuthenticated(PERMISSIONS.requestPromotions)
@ApiNotFoundResponse({
  description: 'No such service or promotion.',
  schema: { type: 'object', example: { statusCode: 404, error: 'Not Found', message: 'no promotion 0b8e…' } },
})
@UseGuards(AuthGuard)
@Controller('promotions')
export class PromotionsController {
  constructor(
    private readonly promotions: PromotionsService,
    private readonly approvals: ApprovalsService,
  ) {}

  @Post()
  @Requires('requestPromotions')
  @ApiOperation({
    summary: 'Promote a version to an environment',
    description:
      'Allowed only if the version succeeded in the previous environment (the first environment needs a published artifact of a build without failed stages). ' +
      'Roles: ci (environments without approvals), deployer, admin. Without required approvals deployment.requested is emitted at once; otherwise the promotion awaits approvals. ' +
      'The same request while a promotion is open answers 200 with the open one.',
  })
  @ApiZodBody(requestPromotionBody, { service: 'shop', version: '1.4.2', environment: 'prod' })
  @ApiExampleResponse(201, 'The promotion (deploying, or awaiting approval).', promotionExample)
  @ApiExampleResponse(
    200,
    'A promotion of this version to this environment is already open.',
    promotionExample,
  )
  @ApiConflictResponse({
    description: 'The version may not go there yet.',
    schema: {
      type: 'object',
      example: {
        statusCode: 409,
        error: 'Conflict',
        message:
          'shop 1.4.2 has not succeeded in staging, the environment before prod (dev → qa → staging → prod); promote it to staging first',
      },
    },
  })
  async request(
    @Body(validBody(requestPromotionBody)) body: RequestPromotionBody,
    @CurrentAction() action: ApiAction,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.promotions.request(body, action);
    res.status(result.created ? 201 : 200);
    return result.view;
  }

  @Get()
  @Requires('read')
  @ApiOperation({ summary: 'List promotions, newest first' })
  @ApiQuery({ name: 'service', required: false, example: 'shop' })
  @ApiQuery({
    name: 'status',
    required: false,
    enum: ['awaiting_approval', 'deploying', 'succeeded', 'failed'],
  })
  @ApiQuery({ name: 'limit', required: false, example: 50 })
  @ApiExampleResponse(200, 'Promotions.', [promotionExample])
  list(@Query(validQuery(listPromotionsQuery)) query: ListPromotionsQuery) {
    return this.promotions.list(query);
  }

  @Get(':id')
  @Requires('read')
  @ApiOperation({ summary: 'A promotion with its approvals: which count, which were voided and why' })
  @ApiParam({ name: 'id', format: 'uuid', example: id })
  @ApiExampleResponse(200, 'The promotion.', promotionExample)
  get(@Param('id', uuidParam) promotionId: string) {
    return this.promotions.get(promotionId);
  }

  @Get(':id/plan')
  @Requires('read')
  @ApiOperation({
    summary: 'The dry-run plan approvers review',
    description:
      'Batches, capacity at each step and estimated time from the planner, the approval policy frozen on the promotion, and planHash = sha256 of the canonical JSON of { plan, policy }. Approvals are bound to planHash and the artifact sha256.',
  })
  @ApiParam({ name: 'id', format: 'uuid', example: id })
  @ApiExampleResponse(200, 'The plan.', {
    promotionId: id,
    planHash,
    artifact: {
      url: 'https://artifacts.example.com/shop/shop-1.4.2.zip',
      sha256: promotionExample.artifactSha256,
      size: 1048576,
    },
    manifestVersion: 3,
    plan: {
      service: 'shop',
      environment: 'prod',
      version: '1.4.2',
      targets: { source: 'listed', servers: ['web-1', 'web-2'] },
      rollout: { ok: true, batches: [], estimatedSeconds: 1470 },
    },
  })
  plan(@Param('id', uuidParam) promotionId: string) {
    return this.promotions.plan(promotionId);
  }

  @Post(':id/approvals')
  @Requires('approve')
  @ApiOperation({
    summary: 'Approve a promotion (approver, admin)',
    description:
      'Bound to the planHash and the artifactSha256 reviewed (both required: a missing one is a 400, another artifact a 409). Judged by the approval policy frozen when the promotion was requested, never a later manifest. The requester cannot approve (separation of duties); approvals expire; when the rule is met deployment.requested is emitted with its proof.',
  })
  @ApiParam({ name: 'id', format: 'uuid', example: id })
  @ApiZodBody(approveBody, {
    planHash,
    artifactSha256: promotionExample.artifactSha256,
    comment: 'plan reviewed, change ticket CHG-1234',
  })
  @ApiExampleResponse(201, 'The promotion after this approval.', {
    ...promotionExample,
    status: 'deploying',
    approvals: { ...promotionExample.approvals, valid: ['alice', 'bob'], missing: 0 },
  })
  @ApiConflictResponse({
    description:
      "The plan changed since review, the artifactSha256 is not the promotion's, or the promotion no longer awaits approvals.",
  })
  approve(
    @Param('id', uuidParam) promotionId: string,
    @Body(validBody(approveBody)) body: ApproveBody,
    @CurrentAction() action: ApiAction,
  ) {
    return this.approvals.approve(promotionId, body, action);
  }
}
