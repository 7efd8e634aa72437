import { Injectable } from '@nestjs/common';
import { createEnvelope } from '@conveyor/messaging';
import type { ApiAccessRefusals, ApiAuthenticatedRequest, ApiCaller } from '@conveyor/service-kit';
import { ChainAppender } from '../chain/chain-appender.service';
import { envelopeToEntry } from '../chain/envelope-entry.mapper';
import { accessRecord, actionOfPath, type AuditAccess } from './access-entry';

/**
 * The one place the auditor API records its own use in the chain (`audit.access.recorded`): who
 * (the entry's actor is the token's holder), what, with which filters. The audit service owns
 * the chain, so it appends directly; the answer waits until the entry has committed, so nothing
 * is read that is not recorded. Refusals of a known person (403) are recorded too.
 */
@Injectable()
export class AuditAccessRecorder implements ApiAccessRefusals {
  constructor(private readonly appender: ChainAppender) {}

  /** Records an access about to be answered; throws (so the request fails) when it cannot. */
  answered(caller: ApiCaller, access: AuditAccess): Promise<void> {
    return this.append(caller, access, 200);
  }

  refused(caller: ApiCaller, request: ApiAuthenticatedRequest, reason: string): Promise<void> {
    const path = request.originalUrl || request.path;
    return this.append(
      caller,
      { action: actionOfPath(path), path, filters: request.query as Record<string, unknown> },
      403,
      reason,
    );
  }

  private async append(
    caller: ApiCaller,
    access: AuditAccess,
    status: number,
    reason?: string,
  ): Promise<void> {
    const envelope = createEnvelope(
      'audit',
      'audit.access.recorded',
      accessRecord(caller, access, status, reason),
      {
        actor: caller.name,
        subject: access.exportId ?? null,
      },
    );
    const mapped = envelopeToEntry(envelope);
    if (!mapped.ok) throw new Error(`the access cannot be recorded: ${mapped.reason}`);
    await this.appender.append(mapped.entry);
  }
}
