import { createWriteStream } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { AuditEntry } from '../entry/audit-entry';
import { createSignedManifest } from '../export/build-manifest';
import type { ExportFilters } from '../export/export-filters';
import type { ExportFormat } from '../export/export-format';
import type { ExportManifest } from '../export/export-manifest';
import { writeExport } from '../export/write-export';
import { signCheckpoint, type SignedCheckpoint } from '../signing/checkpoint';

export interface WrittenExport {
  readonly exportPath: string;
  readonly manifestPath: string;
  readonly manifest: ExportManifest;
}

export function tempDirectory(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'audit-chain-'));
}

/** Writes an export file and its signed manifest the way the audit service will. */
export async function writeSignedExport(options: {
  directory: string;
  name: string;
  entries: Iterable<AuditEntry>;
  format: ExportFormat;
  filters: ExportFilters;
  /** A checkpoint, or `{ atSeq }` to sign one for the exported entry with that seq. */
  checkpoint: SignedCheckpoint | { atSeq: number } | null;
  privateKeyPem: string;
}): Promise<WrittenExport> {
  let seen: AuditEntry | undefined;
  const wanted =
    options.checkpoint !== null && 'atSeq' in options.checkpoint ? options.checkpoint.atSeq : null;
  function* tap(entries: Iterable<AuditEntry>): Generator<AuditEntry> {
    for (const entry of entries) {
      if (entry.seq === wanted) seen = entry;
      yield entry;
    }
  }
  const exportPath = join(options.directory, `${options.name}.${options.format}`);
  const manifestPath = join(options.directory, `${options.name}.manifest.json`);
  const out = createWriteStream(exportPath);
  const summary = await writeExport(tap(options.entries), options.format, out);
  out.end();
  await finished(out);
  if (wanted !== null && seen === undefined)
    throw new Error(`no exported entry has seq ${wanted} to checkpoint`);
  const checkpoint =
    seen === undefined
      ? (options.checkpoint as SignedCheckpoint | null)
      : signCheckpoint(
          { seq: seen.seq, headHash: seen.hash, time: '2025-03-01T23:00:00.000Z' },
          options.privateKeyPem,
        );
  const manifest = createSignedManifest(
    { summary, filters: options.filters, checkpoint, generatedAt: '2025-03-02T00:00:00.000Z' },
    options.privateKeyPem,
  );
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
  return { exportPath, manifestPath, manifest };
}
