import type { SignedCheckpoint } from './checkpoint';

/** The file a checkpoint is published as: `checkpoint-<seq, 16 digits>.json` (sorts by seq). */
export function checkpointFileName(seq: number): string {
  return `checkpoint-${String(seq).padStart(16, '0')}.json`;
}

/** The published file's content: the signed checkpoint as JSON, exactly what `--checkpoint` reads. */
export function checkpointFileText(checkpoint: SignedCheckpoint): string {
  const { seq, headHash, time, signature, keyId } = checkpoint;
  return `${JSON.stringify({ seq, headHash, time, signature, keyId }, null, 2)}\n`;
}
