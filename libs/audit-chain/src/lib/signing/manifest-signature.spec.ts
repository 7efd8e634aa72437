import { MANIFEST_SCHEMA, type UnsignedManifest } from '../export/export-manifest';
import { signManifest, verifyManifestSignature } from './manifest-signature';
import { generateSigningKeyPair } from '@conveyor/signing-keys';

const auditKey = generateSigningKeyPair();
const unsigned: UnsignedManifest = {
  schema: MANIFEST_SCHEMA,
  format: 'ndjson',
  filters: { fromSeq: 1, toSeq: 3 },
  count: 3,
  firstSeq: 1,
  lastSeq: 3,
  firstPrevHash: '0'.repeat(64),
  headHash: 'ab'.repeat(32),
  exportSha256: 'cd'.repeat(32),
  generatedAt: '2025-03-01T12:00:00.000Z',
  checkpoint: null,
};

describe('manifest signature', () => {
  it('verifies after a JSON round trip (key order does not matter)', () => {
    const signed = signManifest(unsigned, auditKey.privateKeyPem);
    const reparsed = JSON.parse(
      JSON.stringify({ signature: signed.signature, ...unsigned }),
    ) as typeof signed;
    expect(verifyManifestSignature(reparsed, auditKey.publicKeyPem)).toEqual({ ok: true });
  });

  it.each([
    ['count', { count: 2 }],
    ['filters', { filters: { fromSeq: 2, toSeq: 3 } }],
    ['exportSha256', { exportSha256: 'ce'.repeat(32) }],
  ])('fails when %s is changed after signing', (_field, change) => {
    const altered = { ...signManifest(unsigned, auditKey.privateKeyPem), ...change };
    expect(verifyManifestSignature(altered, auditKey.publicKeyPem)).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('fails with another public key', () => {
    const signed = signManifest(unsigned, auditKey.privateKeyPem);
    expect(verifyManifestSignature(signed, generateSigningKeyPair().publicKeyPem)).toMatchObject({
      ok: false,
      reason: 'key-id-mismatch',
    });
  });
});
