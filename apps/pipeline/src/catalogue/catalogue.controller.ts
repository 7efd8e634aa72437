import { Body, Controller, Get, Param, Put, Query, Res, UseGuards } from '@nestjs/common';
import { ApiConsumes, ApiNotFoundResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { identifier, serviceManifestSchema } from '@conveyor/contracts';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentAction, Requires, type ApiAction } from '../auth/caller.decorator';
import { PERMISSIONS } from '../auth/role-policy';
import { ApiAuthenticated, ApiExampleResponse, ApiZodBody } from '../http/openapi.decorators';
import { validParam, validQuery } from '@conveyor/service-kit';
import { CatalogueService } from './catalogue.service';

export const manifestExample = {
  service: 'shop',
  description: 'The web shop',
  os: 'windows',
  environments: {
    dev: {
      pool: 'shop-dev',
      servers: [{ id: 'dev-web-1', address: 'dev-web-1:8080' }],
      strategy: { batchSize: 1, minHealthy: 0 },
    },
    qa: {
      pool: 'shop-qa',
      servers: [{ id: 'qa-web-1' }, { id: 'qa-web-2' }],
      strategy: { batchSize: 1, minHealthy: 1 },
    },
    staging: {
      pool: 'shop-staging',
      select: { facts: { service: 'shop', environment: 'staging' } },
      strategy: { batchSize: '50%', minHealthy: '50%' },
    },
    prod: {
      pool: 'shop-prod',
      servers: [{ id: 'web-1' }, { id: 'web-2' }, { id: 'web-3' }, { id: 'web-4' }],
      strategy: { batchSize: '25%', canary: 1, minHealthy: '75%', drainTimeoutSeconds: 120 },
      verification: {
        health: { path: '/health', versionField: 'version' },
        smoke: [{ name: 'checkout', command: 'smoke/checkout.ps1' }],
      },
      approvals: { required: 2, separationOfDuties: true, expiresAfterHours: 24 },
      migration: { runner: 'db-runner-1', backwardCompatible: true },
    },
  },
};
const nameParam = validParam('name', identifier);

@ApiTags('services')
@ApiAuthenticated(PERMISSIONS.manageManifests)
@ApiNotFoundResponse({ description: 'No such service or manifest version.' })
@UseGuards(AuthGuard)
@Controller('services')
export class CatalogueController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Put(':name')
  @Requires('manageManifests')
  @ApiOperation({
    summary: 'Create or change a service manifest (YAML or JSON)',
    description:
      'Environments are in promotion order. A changed manifest gets the next version (201); the same manifest again keeps its version (200). ' +
      'A bad manifest gets a 400 listing every problem with its path. A change that alters the plan of a promotion awaiting approval voids its approvals. ' +
      'A change that relaxes the approval policy (fewer approvals, separation of duties off, longer expiry, environments removed or reordered, a weaker environment on the pool or servers of a stricter one) needs admin: others get a 403 naming it, recorded. Roles: deployer, admin.',
  })
  @ApiParam({ name: 'name', example: 'shop' })
  @ApiConsumes('application/json', 'application/yaml')
  @ApiZodBody(serviceManifestSchema, manifestExample)
  @ApiExampleResponse(201, 'A new manifest version.', {
    service: 'shop',
    version: 3,
    changed: true,
    environments: ['dev', 'qa', 'staging', 'prod'],
  })
  @ApiExampleResponse(200, 'The same manifest as the latest version.', {
    service: 'shop',
    version: 3,
    changed: false,
    environments: ['dev', 'qa', 'staging', 'prod'],
  })
  async apply(
    @Param('name', nameParam) name: string,
    @Body() body: unknown,
    @CurrentAction() action: ApiAction,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.catalogue.apply(name, body, action);
    res.status(result.changed ? 201 : 200);
    return result;
  }

  @Get()
  @Requires('read')
  @ApiOperation({ summary: 'Every service in the catalogue, with its latest manifest version' })
  @ApiExampleResponse(200, 'Services.', [
    {
      service: 'shop',
      version: 3,
      environments: ['dev', 'qa', 'staging', 'prod'],
      appliedBy: 'carol',
      appliedAt: '2025-03-01T10:00:00.000Z',
    },
  ])
  list() {
    return this.catalogue.list();
  }

  @Get(':name')
  @Requires('read')
  @ApiOperation({ summary: 'A service manifest: the latest version, or ?version=N' })
  @ApiParam({ name: 'name', example: 'shop' })
  @ApiQuery({ name: 'version', required: false, example: 3 })
  @ApiExampleResponse(200, 'The manifest.', {
    service: 'shop',
    version: 3,
    environments: ['dev', 'qa', 'staging', 'prod'],
    appliedBy: 'carol',
    appliedAt: '2025-03-01T10:00:00.000Z',
    manifest: manifestExample,
  })
  get(
    @Param('name', nameParam) name: string,
    @Query(validQuery(z.strictObject({ version: z.coerce.number().int().min(1).optional() })))
    query: { version?: number },
  ) {
    return this.catalogue.get(name, query.version);
  }
}
