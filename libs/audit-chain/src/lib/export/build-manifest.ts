import type { SignedCheckpoint } from '../signing/checkpoint';
import { signManifest } from '../signing/manifest-signature';
import { MANIFEST_SCHEMA, type ExportManifest } from './export-manifest';
import type { ExportFilters } from './export-filters';
import type { ExportSummary } from './write-export';

export interface ManifestInput {
  readonly summary: ExportSummary;
  readonly filters: ExportFilters;
  /**
   * For a contiguous (seq-range) export: a checkpoint whose seq lies within firstSeq..lastSeq
   * (verification fails otherwise), or null. For a filtered export: any checkpoint, or null.
   */
  readonly checkpoint: SignedCheckpoint | null;
  readonly generatedAt: string;
}

/** Assembles the manifest of a written export and signs it with the audit service's key. */
export function createSignedManifest(input: ManifestInput, privateKeyPem: string): ExportManifest {
  const { summary } = input;
  return signManifest(
    {
      schema: MANIFEST_SCHEMA,
      format: summary.format,
      filters: input.filters,
      count: summary.count,
      firstSeq: summary.firstSeq,
      lastSeq: summary.lastSeq,
      firstPrevHash: summary.firstPrevHash,
      headHash: summary.headHash,
      exportSha256: summary.exportSha256,
      generatedAt: input.generatedAt,
      checkpoint: input.checkpoint,
    },
    privateKeyPem,
  );
}
