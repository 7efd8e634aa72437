import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { AuditEntry } from '@conveyor/audit-chain';
import type { ApiCaller } from '@conveyor/service-kit';
import { AuditAccessRecorder } from '../access/audit-access-recorder.service';
import { AuditEntriesRepository } from '../chain/audit-entries.repository';
import { AUDIT_WRITER } from '../chain/audit.tokens';
import type { ChainReport } from '../verify/chain-check';
import { ChainVerificationService } from '../verify/chain-verification.service';
import type { EventsQuery } from './audit-query.schemas';
import { encodeCursor } from './page-cursor';

export interface EntriesPage {
  entries: AuditEntry[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Answers the auditor's reads of the chain, each recorded in the chain before it is answered. */
@Injectable()
export class AuditQueryService {
  constructor(
    @Inject(AUDIT_WRITER) private readonly writer: DataSource,
    private readonly entries: AuditEntriesRepository,
    private readonly verification: ChainVerificationService,
    private readonly access: AuditAccessRecorder,
  ) {}

  /** One page of entries after `afterSeq`, and the cursor of the next page. */
  async page(
    caller: ApiCaller,
    path: string,
    { filters, limit, afterSeq }: EventsQuery,
  ): Promise<EntriesPage> {
    await this.access.answered(caller, { action: 'events', path, filters: { ...filters, limit, afterSeq } });
    const page = await this.entries.page(this.writer.manager, filters, afterSeq, limit + 1);
    const entries = page.slice(0, limit);
    const last = entries[entries.length - 1];
    return { entries, nextCursor: page.length > limit && last !== undefined ? encodeCursor(last.seq) : null };
  }

  /** The whole chain verified. */
  async verify(caller: ApiCaller, path: string): Promise<ChainReport> {
    await this.access.answered(caller, { action: 'verify', path, filters: {} });
    return this.verification.verify();
  }
}
