import { sign, verify } from 'node:crypto';
import { canonicalJson } from '../entry/canonical-json';
import type { JsonValue } from '../entry/json-value';
import type { ExportManifest, UnsignedManifest } from '../export/export-manifest';
import type { SignatureCheck } from './checkpoint';
import { keyIdOf, loadPrivateKey, loadPublicKey } from '@conveyor/signing-keys';

/** The exact text whose UTF-8 bytes are signed: canonical JSON of the manifest without `signature`. */
export function manifestSigningText(manifest: UnsignedManifest | ExportManifest): string {
  const {
    schema,
    format,
    filters,
    count,
    firstSeq,
    lastSeq,
    firstPrevHash,
    headHash,
    exportSha256,
    generatedAt,
    checkpoint,
  } = manifest;
  const unsigned: UnsignedManifest = {
    schema,
    format,
    filters,
    count,
    firstSeq,
    lastSeq,
    firstPrevHash,
    headHash,
    exportSha256,
    generatedAt,
    checkpoint,
  };
  // zod's optional filter keys may hold `undefined`; canonical JSON drops them, as JSON.stringify does.
  return canonicalJson(unsigned as unknown as JsonValue);
}

export function signManifest(manifest: UnsignedManifest, privateKeyPem: string): ExportManifest {
  const key = loadPrivateKey(privateKeyPem);
  const value = sign(null, Buffer.from(manifestSigningText(manifest), 'utf8'), key).toString('base64');
  return { ...manifest, signature: { keyId: keyIdOf(key), value } };
}

export function verifyManifestSignature(manifest: ExportManifest, publicKeyPem: string): SignatureCheck {
  const key = loadPublicKey(publicKeyPem);
  const keyId = keyIdOf(key);
  if (manifest.signature.keyId !== keyId) {
    return {
      ok: false,
      reason: 'key-id-mismatch',
      message: `manifest was signed with key ${manifest.signature.keyId}, but the public key given is ${keyId}`,
    };
  }
  const valid = verify(
    null,
    Buffer.from(manifestSigningText(manifest), 'utf8'),
    key,
    Buffer.from(manifest.signature.value, 'base64'),
  );
  return valid
    ? { ok: true }
    : {
        ok: false,
        reason: 'bad-signature',
        message: `manifest signature does not verify with key ${keyId}: the manifest was altered or not signed by this key`,
      };
}
