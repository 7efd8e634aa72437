import { sign, verify } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../entry/canonical-json';
import { keyIdOf, loadPrivateKey, loadPublicKey } from '@conveyor/signing-keys';

/** Domain tag inside the signed bytes so a checkpoint signature can never be taken for another signed object. */
export const CHECKPOINT_PURPOSE = 'conveyor.audit.checkpoint.v1';

export interface Checkpoint {
  readonly seq: number;
  readonly headHash: string;
  readonly time: string;
}

export const signedCheckpointSchema = z.strictObject({
  seq: z.number().int().positive(),
  headHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters'),
  time: z.iso.datetime({ offset: true }),
  /** base64 Ed25519 signature of checkpointSigningText(). */
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'must be a base64 Ed25519 signature (88 characters)'),
  keyId: z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 lowercase hex characters'),
});
export type SignedCheckpoint = z.infer<typeof signedCheckpointSchema>;

/** The exact text whose UTF-8 bytes are signed: canonical JSON of {purpose, seq, headHash, time}. */
export function checkpointSigningText(checkpoint: Checkpoint): string {
  return canonicalJson({
    headHash: checkpoint.headHash,
    purpose: CHECKPOINT_PURPOSE,
    seq: checkpoint.seq,
    time: checkpoint.time,
  });
}

export function signCheckpoint(checkpoint: Checkpoint, privateKeyPem: string): SignedCheckpoint {
  const key = loadPrivateKey(privateKeyPem);
  const signature = sign(null, Buffer.from(checkpointSigningText(checkpoint), 'utf8'), key).toString(
    'base64',
  );
  return {
    seq: checkpoint.seq,
    headHash: checkpoint.headHash,
    time: checkpoint.time,
    signature,
    keyId: keyIdOf(key),
  };
}

export type SignatureCheck =
  | { ok: true }
  | { ok: false; reason: 'key-id-mismatch' | 'bad-signature'; message: string };

/** Checks the checkpoint was signed by the holder of the private key matching `publicKeyPem`. */
export function verifyCheckpoint(checkpoint: SignedCheckpoint, publicKeyPem: string): SignatureCheck {
  const key = loadPublicKey(publicKeyPem);
  const keyId = keyIdOf(key);
  if (checkpoint.keyId !== keyId) {
    return {
      ok: false,
      reason: 'key-id-mismatch',
      message: `checkpoint was signed with key ${checkpoint.keyId}, but the public key given is ${keyId}`,
    };
  }
  const valid = verify(
    null,
    Buffer.from(checkpointSigningText(checkpoint), 'utf8'),
    key,
    Buffer.from(checkpoint.signature, 'base64'),
  );
  return valid
    ? { ok: true }
    : {
        ok: false,
        reason: 'bad-signature',
        message: `checkpoint signature for seq ${checkpoint.seq} does not verify with key ${keyId}: the checkpoint was altered or not signed by this key`,
      };
}
