import { errorMessage } from '@conveyor/errors';
import { z } from 'zod';
import { signedCheckpointSchema } from '../signing/checkpoint';
import { EXPORT_FORMATS } from './export-format';
import { exportFiltersSchema } from './export-filters';

/** Identifies the manifest layout; also separates manifest signatures from checkpoint signatures. */
export const MANIFEST_SCHEMA = 'conveyor.audit.export-manifest.v1';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters');

/** Everything in a manifest except its signature. */
export const unsignedManifestSchema = z.strictObject({
  schema: z.literal(MANIFEST_SCHEMA),
  format: z.enum(EXPORT_FORMATS),
  filters: exportFiltersSchema,
  count: z.number().int().nonnegative(),
  firstSeq: z.number().int().positive().nullable(),
  lastSeq: z.number().int().positive().nullable(),
  /** prevHash of the first exported entry. */
  firstPrevHash: sha256Hex.nullable(),
  /** hash of the last exported entry. */
  headHash: sha256Hex.nullable(),
  /** SHA-256 of the export file's bytes, exactly as written. */
  exportSha256: sha256Hex,
  generatedAt: z.iso.datetime({ offset: true }),
  /** A chain checkpoint signed earlier by the audit service, or null. */
  checkpoint: signedCheckpointSchema.nullable(),
});
export type UnsignedManifest = z.infer<typeof unsignedManifestSchema>;

export const manifestSignatureSchema = z.strictObject({
  keyId: z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 lowercase hex characters'),
  /** base64 Ed25519 signature of the canonical JSON of the manifest without `signature`. */
  value: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'must be a base64 Ed25519 signature (88 characters)'),
});
export type ManifestSignature = z.infer<typeof manifestSignatureSchema>;

export const exportManifestSchema = unsignedManifestSchema.extend({ signature: manifestSignatureSchema });
export type ExportManifest = z.infer<typeof exportManifestSchema>;

export type ManifestParseResult = { ok: true; manifest: ExportManifest } | { ok: false; message: string };

export function parseExportManifest(text: string): ManifestParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      message: `manifest is not valid JSON (${errorMessage(error)})`,
    };
  }
  const result = exportManifestSchema.safeParse(value);
  if (result.success) return { ok: true, manifest: result.data };
  return {
    ok: false,
    message: `manifest is invalid: ${result.error.issues.map((issue) => `${issue.path.join('.') || 'manifest'}: ${issue.message}`).join('; ')}`,
  };
}
