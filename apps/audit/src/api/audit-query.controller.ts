import { Controller, Get, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiRoles, CurrentApiCaller, validQuery, type ApiCaller } from '@conveyor/service-kit';
import type { ChainReport } from '../verify/chain-check';
import { AUDIT_API_ROLES } from './audit-api-roles';
import { eventsQuery, type EventsQuery } from './audit-query.schemas';
import { AuditQueryService, type EntriesPage } from './audit-query.service';

/** The auditor's view of the chain: filtered, paginated entries and a full verification. Each use is recorded. */
@Controller('audit')
@ApiRoles(...AUDIT_API_ROLES)
export class AuditQueryController {
  constructor(private readonly queries: AuditQueryService) {}

  @Get('events')
  events(
    @Query(validQuery(eventsQuery)) query: EventsQuery,
    @CurrentApiCaller() caller: ApiCaller,
    @Req() request: Request,
  ): Promise<EntriesPage> {
    return this.queries.page(caller, request.originalUrl, query);
  }

  @Get('verify')
  verify(@CurrentApiCaller() caller: ApiCaller, @Req() request: Request): Promise<ChainReport> {
    return this.queries.verify(caller, request.originalUrl);
  }
}
