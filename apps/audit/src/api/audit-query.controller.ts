import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import type { AuditEntry } from '@conveyor/audit-chain';
import { AuditEntriesRepository } from '../chain/audit-entries.repository';
import type { ChainReport } from '../verify/chain-check';
import { ChainVerificationService } from '../verify/chain-verification.service';
import { AuditorGuard } from './auditor.guard';
import { badParameters } from './bad-request';
import { encodeCursor } from './page-cursor';
import { parseEventsQuery, type QueryParams } from './query-params.parser';

export interface EntriesPage {
  entries: AuditEntry[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** The auditor's view of the chain: filtered, paginated entries and a full verification. */
@Controller('audit')
@UseGuards(AuditorGuard)
export class AuditQueryController {
  constructor(
    private readonly entries: AuditEntriesRepository,
    private readonly verification: ChainVerificationService,
  ) {}

  @Get('events')
  async events(@Query() query: QueryParams): Promise<EntriesPage> {
    const parsed = parseEventsQuery(query);
    if (!parsed.ok) throw badParameters(parsed.problems);
    const { filters, limit, afterSeq } = parsed.value;
    const page = await this.entries.page(filters, afterSeq, limit + 1);
    const entries = page.slice(0, limit);
    const last = entries[entries.length - 1];
    return { entries, nextCursor: page.length > limit && last !== undefined ? encodeCursor(last.seq) : null };
  }

  @Get('verify')
  verify(): Promise<ChainReport> {
    return this.verification.verify();
  }
}
