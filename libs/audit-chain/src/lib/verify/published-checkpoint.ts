import { errorMessage } from '@conveyor/errors';
import type { ExportManifest } from '../export/export-manifest';
import { signedCheckpointSchema, verifyCheckpoint, type SignedCheckpoint } from '../signing/checkpoint';
import type { ExportProblem } from './export-report';

export type PublishedCheckpointParse =
  | { ok: true; checkpoint: SignedCheckpoint }
  | { ok: false; problem: ExportProblem };

/**
 * Reads a checkpoint the audit service published outside its database (a file of
 * `AUDIT_CHECKPOINT_DIR`, or the `audit.checkpoint.created` event another service kept) and checks
 * it was signed by the auditor's trusted public key.
 */
export function parsePublishedCheckpoint(text: string, publicKeyPem: string): PublishedCheckpointParse {
  const invalid = (message: string): PublishedCheckpointParse => ({
    ok: false,
    problem: { code: 'published-checkpoint-invalid', message },
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return invalid(`the published checkpoint is not valid JSON (${errorMessage(error)})`);
  }
  const parsed = signedCheckpointSchema.safeParse(value);
  if (!parsed.success)
    return invalid(
      `the published checkpoint is invalid: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'checkpoint'}: ${issue.message}`).join('; ')}`,
    );
  const signature = verifyCheckpoint(parsed.data, publicKeyPem);
  if (!signature.ok) return invalid(`the published checkpoint's signature: ${signature.message}`);
  return { ok: true, checkpoint: parsed.data };
}

export interface PublishedCheckpointEvidence {
  readonly manifest: ExportManifest;
  readonly contiguous: boolean;
  /** Last seq of the verified entries (null: none). */
  readonly lastSeq: number | null;
  /** Hash of the exported entry at the checkpoint's seq, or null when it is not in the export. */
  readonly hashAtCheckpoint: string | null;
}

/**
 * Compares an export with a checkpoint published earlier: the chain had reached `seq` with hash
 * `headHash` then, so an export that should reach that far and does not (its last seq is below) has
 * lost its tail, and an entry at that seq with another hash means the chain was rewritten. Pure.
 */
export function checkAgainstPublishedCheckpoint(
  published: SignedCheckpoint,
  evidence: PublishedCheckpointEvidence,
): ExportProblem[] {
  const { manifest, contiguous, lastSeq, hashAtCheckpoint } = evidence;
  const at = `seq ${published.seq} (published ${published.time})`;
  if (hashAtCheckpoint !== null) {
    return hashAtCheckpoint === published.headHash
      ? []
      : [
          {
            code: 'published-checkpoint-mismatch',
            seq: published.seq,
            message: `the published checkpoint says entry ${at} has hash ${published.headHash}, but the exported entry has ${hashAtCheckpoint}: the chain was rewritten after the checkpoint was published`,
          },
        ];
  }
  const truncated = (reached: string): ExportProblem => ({
    code: 'truncated-tail',
    seq: published.seq,
    message: `the chain had reached ${at}, but ${reached}: entries were removed from the end of the chain (or this export was made before the checkpoint was published)`,
  });
  if (contiguous) {
    const { fromSeq, toSeq } = manifest.filters;
    if ((toSeq !== undefined && toSeq < published.seq) || (fromSeq !== undefined && fromSeq > published.seq))
      return [
        {
          code: 'published-checkpoint-not-covered',
          seq: published.seq,
          message: `the export covers seq ${fromSeq ?? 1}..${toSeq ?? 'head'}, which does not include the published checkpoint's ${at}: export a range that includes it`,
        },
      ];
    return [truncated(`this export ends at seq ${lastSeq ?? 0}`)];
  }
  const newest = manifest.checkpoint;
  if (newest === null || newest.seq < published.seq)
    return [
      truncated(
        newest === null
          ? 'the export was made from a chain with no checkpoint'
          : `the newest checkpoint of the chain it was exported from is seq ${newest.seq}`,
      ),
    ];
  if (newest.seq === published.seq && newest.headHash !== published.headHash)
    return [
      {
        code: 'published-checkpoint-mismatch',
        seq: published.seq,
        message: `the published checkpoint at ${at} has hash ${published.headHash}, but the chain the export came from signed ${newest.headHash} at that seq: the chain was rewritten`,
      },
    ];
  return [];
}
