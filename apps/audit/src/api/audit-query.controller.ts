import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { DataSource } from 'typeorm';
import type { AuditEntry } from '@conveyor/audit-chain';
import { ApiRoles, CurrentApiCaller, validQuery, type ApiCaller } from '@conveyor/service-kit';
import { AuditAccessRecorder } from '../access/audit-access-recorder.service';
import { AuditEntriesRepository } from '../chain/audit-entries.repository';
import { AUDIT_WRITER } from '../chain/audit.tokens';
import type { ChainReport } from '../verify/chain-check';
import { ChainVerificationService } from '../verify/chain-verification.service';
import { AUDIT_API_ROLES } from './audit-api-roles';
import { encodeCursor } from './page-cursor';
import { eventsQuery, type EventsQuery } from './audit-query.schemas';

export interface EntriesPage {
  entries: AuditEntry[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** The auditor's view of the chain: filtered, paginated entries and a full verification. Each use is recorded. */
@Controller('audit')
@ApiRoles(...AUDIT_API_ROLES)
export class AuditQueryController {
  constructor(
    @Inject(AUDIT_WRITER) private readonly writer: DataSource,
    private readonly entries: AuditEntriesRepository,
    private readonly verification: ChainVerificationService,
    private readonly access: AuditAccessRecorder,
  ) {}

  @Get('events')
  async events(
    @Query(validQuery(eventsQuery)) { filters, limit, afterSeq }: EventsQuery,
    @CurrentApiCaller() caller: ApiCaller,
    @Req() request: Request,
  ): Promise<EntriesPage> {
    await this.access.answered(caller, {
      action: 'events',
      path: request.originalUrl,
      filters: { ...filters, limit, afterSeq },
    });
    const page = await this.entries.page(this.writer.manager, filters, afterSeq, limit + 1);
    const entries = page.slice(0, limit);
    const last = entries[entries.length - 1];
    return { entries, nextCursor: page.length > limit && last !== undefined ? encodeCursor(last.seq) : null };
  }

  @Get('verify')
  async verify(@CurrentApiCaller() caller: ApiCaller, @Req() request: Request): Promise<ChainReport> {
    await this.access.answered(caller, { action: 'verify', path: request.originalUrl, filters: {} });
    return this.verification.verify();
  }
}
