import { generateSigningKeyPair } from '@conveyor/signing-keys';
import { signCheckpoint } from '../signing/checkpoint';
import { checkpointFileText } from '../signing/checkpoint-file';
import type { ExportManifest } from '../export/export-manifest';
import { checkAgainstPublishedCheckpoint, parsePublishedCheckpoint } from './published-checkpoint';

const keys = generateSigningKeyPair();
const other = generateSigningKeyPair();
const HASH_30 = 'a'.repeat(64);
const published = signCheckpoint(
  { seq: 30, headHash: HASH_30, time: '2026-01-01T00:00:00.000Z' },
  keys.privateKeyPem,
);

function manifest(
  filters: ExportManifest['filters'],
  checkpoint: ExportManifest['checkpoint'] = null,
): ExportManifest {
  return { filters, checkpoint } as ExportManifest;
}

describe('parsePublishedCheckpoint', () => {
  it('reads the file the audit service writes', () => {
    expect(parsePublishedCheckpoint(checkpointFileText(published), keys.publicKeyPem)).toEqual({
      ok: true,
      checkpoint: published,
    });
  });

  it.each([
    ['not JSON', 'nope', /not valid JSON/],
    ['not a checkpoint', '{"seq":0}', /invalid: seq/],
  ])('refuses %s', (_, text, message) => {
    const parsed = parsePublishedCheckpoint(text, keys.publicKeyPem);
    expect(parsed).toMatchObject({ ok: false, problem: { code: 'published-checkpoint-invalid' } });
    expect(!parsed.ok && parsed.problem.message).toMatch(message);
  });

  it('refuses a checkpoint signed by another key', () => {
    expect(parsePublishedCheckpoint(checkpointFileText(published), other.publicKeyPem)).toMatchObject({
      ok: false,
      problem: { code: 'published-checkpoint-invalid' },
    });
  });
});

describe('checkAgainstPublishedCheckpoint', () => {
  const full = { manifest: manifest({}), contiguous: true };

  it('passes when the exported entry at the seq has the published hash', () => {
    expect(
      checkAgainstPublishedCheckpoint(published, { ...full, lastSeq: 40, hashAtCheckpoint: HASH_30 }),
    ).toEqual([]);
  });

  it('reports a rewrite when the hash differs', () => {
    expect(
      checkAgainstPublishedCheckpoint(published, { ...full, lastSeq: 40, hashAtCheckpoint: 'b'.repeat(64) }),
    ).toEqual([expect.objectContaining({ code: 'published-checkpoint-mismatch', seq: 30 })]);
  });

  it('reports a truncated tail when a full export ends below the seq', () => {
    const [problem] = checkAgainstPublishedCheckpoint(published, {
      ...full,
      lastSeq: 25,
      hashAtCheckpoint: null,
    });
    expect(problem).toMatchObject({ code: 'truncated-tail', seq: 30 });
    expect(problem!.message).toContain('this export ends at seq 25');
  });

  it('reports a range that does not include the checkpoint as not covered, not as truncated', () => {
    expect(
      checkAgainstPublishedCheckpoint(published, {
        manifest: manifest({ toSeq: 20 }),
        contiguous: true,
        lastSeq: 20,
        hashAtCheckpoint: null,
      }),
    ).toEqual([expect.objectContaining({ code: 'published-checkpoint-not-covered' })]);
  });

  it('judges a filtered export by the newest checkpoint of the chain it came from', () => {
    const subset = { contiguous: false, lastSeq: 12, hashAtCheckpoint: null };
    const older = signCheckpoint(
      { seq: 25, headHash: 'c'.repeat(64), time: '2026-01-01T00:00:00.000Z' },
      keys.privateKeyPem,
    );
    expect(
      checkAgainstPublishedCheckpoint(published, {
        ...subset,
        manifest: manifest({ actor: 'user:alice' }, older),
      }),
    ).toEqual([expect.objectContaining({ code: 'truncated-tail' })]);
    expect(
      checkAgainstPublishedCheckpoint(published, {
        ...subset,
        manifest: manifest({ actor: 'user:alice' }, published),
      }),
    ).toEqual([]);
  });
});
