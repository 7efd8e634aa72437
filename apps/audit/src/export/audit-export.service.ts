import { AUDIT_SETTINGS, type AuditSettings } from '../config/audit-env';
import { randomUUID } from 'node:crypto';
import type { Writable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import {
  createSignedManifest,
  isContiguousExport,
  writeExport,
  type ExportFilters,
  type ExportFormat,
  type ExportManifest,
  type SignedCheckpoint,
} from '@conveyor/audit-chain';
import type { AuditSigningKey } from '../config/signing-key.loader';
import { AuditEntriesRepository } from '../chain/audit-entries.repository';
import { AUDIT_SIGNING_KEY, AUDIT_WRITER } from '../chain/audit.tokens';
import { CheckpointsRepository } from '../chain/checkpoints.repository';

export interface ExportRequest {
  readonly filters: ExportFilters;
  readonly format: ExportFormat;
}

/**
 * Streams the entries matching the filters (page by page, never the whole result in memory) in
 * NDJSON or CSV, then signs and stores the export's manifest under the export's id. The export
 * covers the chain as it was when it started (up to the head at that moment).
 */
@Injectable()
export class AuditExportService {
  constructor(
    @Inject(AUDIT_WRITER) private readonly writer: DataSource,
    private readonly entries: AuditEntriesRepository,
    private readonly checkpoints: CheckpointsRepository,
    @Inject(AUDIT_SIGNING_KEY) private readonly key: AuditSigningKey,
    @Inject(AUDIT_SETTINGS) private readonly settings: AuditSettings,
  ) {}

  newExportId(): string {
    return randomUUID();
  }

  /** Writes the export to `out` (not ended) and stores its manifest; resolves with the manifest. */
  async write(id: string, request: ExportRequest, out: Writable): Promise<ExportManifest> {
    const manager = this.writer.manager;
    const head = await this.entries.head(manager);
    const upToSeq = head?.seq ?? 0;
    const entries = this.entries.stream(manager, request.filters, upToSeq, this.settings.pageSize);
    const summary = await writeExport(entries, request.format, out);
    const checkpoint = await this.coveringCheckpoint(
      request.filters,
      summary.firstSeq,
      summary.lastSeq,
      upToSeq,
    );
    const manifest = createSignedManifest(
      { summary, filters: request.filters, checkpoint, generatedAt: new Date().toISOString() },
      this.key.privateKeyPem,
    );
    await this.checkpoints.saveManifest(manager, id, JSON.stringify(manifest, null, 2));
    return manifest;
  }

  manifest(id: string): Promise<string | null> {
    return this.checkpoints.findManifest(this.writer.manager, id);
  }

  /**
   * A seq-range export carries the newest checkpoint within its own range (the verifier checks
   * the exported entry against it), or none; a filtered export the newest checkpoint of the chain.
   */
  private coveringCheckpoint(
    filters: ExportFilters,
    firstSeq: number | null,
    lastSeq: number | null,
    upToSeq: number,
  ): Promise<SignedCheckpoint | null> {
    if (!isContiguousExport(filters))
      return upToSeq === 0
        ? Promise.resolve(null)
        : this.checkpoints.latestWithin(this.writer.manager, 1, upToSeq);
    if (firstSeq === null || lastSeq === null) return Promise.resolve(null);
    return this.checkpoints.latestWithin(this.writer.manager, firstSeq, lastSeq);
  }
}
