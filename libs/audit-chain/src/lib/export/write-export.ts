import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { parseAuditEntry } from '../entry/audit-entry';
import { createEntryEncoder } from './entry-encoder';
import type { ExportFormat } from './export-format';

/** The manifest fields known once the export has been written. */
export interface ExportSummary {
  readonly format: ExportFormat;
  readonly count: number;
  readonly firstSeq: number | null;
  readonly lastSeq: number | null;
  readonly firstPrevHash: string | null;
  readonly headHash: string | null;
  readonly exportSha256: string;
}

export class ExportWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportWriteError';
  }
}

/** Bytes gathered before one write to the stream. */
const FLUSH_THRESHOLD = 64 * 1024;

/**
 * Streams entries (e.g. rows from a database cursor) to `out` in the given format, respecting
 * back-pressure, and returns the manifest fields computed on the way (sha256 of exactly the bytes
 * written). Entries must come in increasing seq order and be valid; otherwise it throws an
 * ExportWriteError naming the entry. Does not end `out`.
 */
export async function writeExport(
  entries: Iterable<unknown> | AsyncIterable<unknown>,
  format: ExportFormat,
  out: Writable,
): Promise<ExportSummary> {
  const encoder = createEntryEncoder(format);
  const digest = createHash('sha256');
  let pending = encoder.preamble;
  let count = 0;
  let firstSeq: number | null = null;
  let lastSeq: number | null = null;
  let firstPrevHash: string | null = null;
  let headHash: string | null = null;

  const flush = async (): Promise<void> => {
    if (pending === '') return;
    const bytes = Buffer.from(pending, 'utf8');
    pending = '';
    digest.update(bytes);
    if (!out.write(bytes)) await once(out, 'drain');
  };

  for await (const candidate of entries) {
    const parsed = parseAuditEntry(candidate);
    if (!parsed.ok) throw new ExportWriteError(`entry #${count} cannot be exported: ${parsed.message}`);
    const entry = parsed.entry;
    if (lastSeq !== null && entry.seq <= lastSeq) {
      throw new ExportWriteError(
        `entries must be in increasing seq order: seq ${entry.seq} came after seq ${lastSeq}`,
      );
    }
    pending += encoder.encode(entry);
    count += 1;
    firstSeq ??= entry.seq;
    firstPrevHash ??= entry.prevHash;
    lastSeq = entry.seq;
    headHash = entry.hash;
    if (pending.length >= FLUSH_THRESHOLD) await flush();
  }
  await flush();
  return { format, count, firstSeq, lastSeq, firstPrevHash, headHash, exportSha256: digest.digest('hex') };
}
