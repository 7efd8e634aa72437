import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { identifier } from '@conveyor/contracts';
import { AuthGuard } from '../auth/auth.guard';
import { Requires } from '../auth/caller.decorator';
import { PERMISSIONS } from '../auth/role-policy';
import { notFound } from '../http/api-errors';
import { ApiAuthenticated, ApiExampleResponse } from '../http/openapi.decorators';
import { validQuery } from '@conveyor/service-kit';
import { DoraMetricsService } from './dora-metrics.service';

const doraQuery = z.strictObject({
  service: identifier.optional(),
  environment: identifier.optional(),
  days: z.coerce.number().int().min(1).max(365).default(30),
});

@ApiTags('insights')
@ApiAuthenticated(PERMISSIONS.read)
@UseGuards(AuthGuard)
@Controller('insights')
export class InsightsController {
  constructor(private readonly dora: DoraMetricsService) {}

  @Get('dora')
  @Requires('read')
  @ApiOperation({
    summary: 'The four DORA figures per service',
    description:
      'Deployment frequency (successful production deployments per day), lead time (median seconds from commit to a successful production deployment), ' +
      'change failure rate (failed or rolled back over finished production deployments) and time to restore (median seconds from a failure to the next success). ' +
      "Production is the last environment of the service's promotion order unless `environment` says otherwise. Also exported as conveyor_dora_* metrics (30 days).",
  })
  @ApiQuery({ name: 'service', required: false, example: 'shop' })
  @ApiQuery({ name: 'environment', required: false, example: 'prod' })
  @ApiQuery({ name: 'days', required: false, example: 30 })
  @ApiExampleResponse(200, 'One entry per service.', [
    {
      service: 'shop',
      environment: 'prod',
      windowDays: 30,
      deployments: 12,
      deploymentFrequencyPerDay: 0.367,
      leadTimeSeconds: 5400,
      changeFailureRate: 0.083,
      timeToRestoreSeconds: 1800,
    },
  ])
  async get(@Query(validQuery(doraQuery)) query: z.infer<typeof doraQuery>) {
    if (query.service === undefined) return this.dora.all(query.days);
    const figures = await this.dora.figures(query.service, query.days, query.environment);
    if (!figures) throw notFound(`no service ${query.service} in the catalogue`);
    return [figures];
  }
}
