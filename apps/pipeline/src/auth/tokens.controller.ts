import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiAuthenticated, ApiExampleResponse, ApiZodBody } from '../http/openapi.decorators';
import { validBody, validParam } from '@conveyor/service-kit';
import { AuthGuard } from './auth.guard';
import { CurrentAction, Requires, type ApiAction } from './caller.decorator';
import { PERMISSIONS } from './role-policy';
import { createTokenBody, type CreateTokenBody } from './token.schemas';
import { TokensService } from './tokens.service';

const tokenExample = {
  id: '6f1c2a4e-8a55-4b8e-9d61-0c1b7b0f8a11',
  name: 'jenkins',
  role: 'ci',
  createdBy: 'admin:bootstrap',
  createdAt: '2025-03-01T10:00:00.000Z',
  revokedAt: null,
};

@ApiTags('tokens')
@ApiAuthenticated(PERMISSIONS.manageTokens)
@UseGuards(AuthGuard)
@Controller('tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Post()
  @Requires('manageTokens')
  @ApiOperation({
    summary: 'Issue an API token with a role (admin). The token is shown once; only its sha256 is stored.',
  })
  @ApiZodBody(createTokenBody, { name: 'jenkins', role: 'ci' })
  @ApiExampleResponse(201, 'The token, shown this once.', {
    ...tokenExample,
    token: 'cvy_q9VbV2m1T0Jx2q0Yk1x8mFh2k8l3sQJ1r7cT0eQmZ2A',
  })
  create(@Body(validBody(createTokenBody)) body: CreateTokenBody, @CurrentAction() action: ApiAction) {
    return this.tokens.create(body, action);
  }

  @Get()
  @Requires('manageTokens')
  @ApiOperation({ summary: 'List API tokens (admin); never their values.' })
  @ApiExampleResponse(200, 'Every token, revoked ones included.', [tokenExample])
  list() {
    return this.tokens.list();
  }

  @Delete(':id')
  @HttpCode(200)
  @Requires('manageTokens')
  @ApiOperation({ summary: 'Revoke an API token (admin).' })
  @ApiParam({ name: 'id', format: 'uuid', example: tokenExample.id })
  @ApiExampleResponse(200, 'The revoked token.', { ...tokenExample, revokedAt: '2025-03-02T09:00:00.000Z' })
  revoke(@Param('id', validParam('id', z.uuid())) id: string, @CurrentAction() action: ApiAction) {
    return this.tokens.revoke(id, action);
  }
}
