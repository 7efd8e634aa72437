import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENESIS_PREV_HASH, type UnhashedEntry } from '../entry/audit-entry';
import { appendBatch } from './append-batch';
import { canonicalEntryBody, entryPreimage, hashEntry } from './hash-entry';

// The README's worked example. The expected hashes were computed outside this library with
// `printf '%s' "<preimage>" | sha256sum`, so they pin the exact byte string that is hashed.
const EXAMPLE_FIRST: UnhashedEntry = {
  seq: 1,
  eventId: '3f1c6a52-8d4e-4b7a-9c2e-5a6b7c8d9e0f',
  type: 'deployment.requested',
  subject: 'deploy-42',
  correlationId: 'corr-7',
  actor: 'user:alice',
  time: '2025-03-01T12:00:00.000Z',
  payload: { version: '1.4.2', service: 'billing', approvals: 2 },
  prevHash: GENESIS_PREV_HASH,
};
const EXAMPLE_FIRST_PREIMAGE =
  '0000000000000000000000000000000000000000000000000000000000000000' +
  '{"actor":"user:alice","correlationId":"corr-7","eventId":"3f1c6a52-8d4e-4b7a-9c2e-5a6b7c8d9e0f",' +
  '"payload":{"approvals":2,"service":"billing","version":"1.4.2"},"seq":1,"subject":"deploy-42",' +
  '"time":"2025-03-01T12:00:00.000Z","type":"deployment.requested"}';
const EXAMPLE_FIRST_HASH = '9528552b5a84cf98dab298450374eb3c482deba67414cdb722e5944bbfa87c12';
const EXAMPLE_SECOND_HASH = '4bbeb81798d6c9e6528c777a170f6fc467f4252a266c6a4bc04fdd836ebc0e50';

describe('hashEntry', () => {
  it('hashes prevHash followed by the RFC 8785 canonical JSON of the other fields (README example)', () => {
    expect(entryPreimage(EXAMPLE_FIRST)).toBe(EXAMPLE_FIRST_PREIMAGE);
    expect(hashEntry(EXAMPLE_FIRST)).toBe(EXAMPLE_FIRST_HASH);
  });

  it('chains the second README example entry to the first', () => {
    const [first, second] = appendBatch(null, [
      {
        eventId: EXAMPLE_FIRST.eventId,
        type: EXAMPLE_FIRST.type,
        subject: 'deploy-42',
        correlationId: 'corr-7',
        actor: 'user:alice',
        time: EXAMPLE_FIRST.time,
        payload: EXAMPLE_FIRST.payload,
      },
      {
        eventId: '9b2d4f61-0c3a-4e5b-8f7a-1d2c3b4a5e6f',
        type: 'deployment.batch.started',
        subject: 'deploy-42',
        correlationId: 'corr-7',
        actor: 'service:orchestrator',
        time: '2025-03-01T12:00:05.000Z',
        payload: { servers: ['web-1', 'web-2'], batch: 1 },
      },
    ]);
    expect(first!.hash).toBe(EXAMPLE_FIRST_HASH);
    expect(second!.prevHash).toBe(EXAMPLE_FIRST_HASH);
    expect(second!.hash).toBe(EXAMPLE_SECOND_HASH);
  });

  it('the README shows the same example preimage and hashes', () => {
    const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
    expect(readme).toContain(EXAMPLE_FIRST_HASH);
    expect(readme).toContain(EXAMPLE_SECOND_HASH);
    expect(readme.replace(/\s+/g, '')).toContain(EXAMPLE_FIRST_PREIMAGE.slice(64));
  });

  it('does not depend on the order of keys in the entry or in its payload', () => {
    const reordered: UnhashedEntry = {
      prevHash: GENESIS_PREV_HASH,
      payload: { approvals: 2, version: '1.4.2', service: 'billing' },
      time: EXAMPLE_FIRST.time,
      actor: 'user:alice',
      correlationId: 'corr-7',
      subject: 'deploy-42',
      type: 'deployment.requested',
      eventId: EXAMPLE_FIRST.eventId,
      seq: 1,
    };
    expect(hashEntry(reordered)).toBe(EXAMPLE_FIRST_HASH);
  });

  it('changes when any single field changes', () => {
    const variants: UnhashedEntry[] = [
      { ...EXAMPLE_FIRST, seq: 2 },
      { ...EXAMPLE_FIRST, actor: 'user:alicf' },
      { ...EXAMPLE_FIRST, subject: null },
      { ...EXAMPLE_FIRST, correlationId: null },
      { ...EXAMPLE_FIRST, time: '2025-03-01T12:00:00.001Z' },
      { ...EXAMPLE_FIRST, payload: { version: '1.4.2', service: 'billing', approvals: 3 } },
      { ...EXAMPLE_FIRST, prevHash: '1'.repeat(64) },
    ];
    for (const variant of variants) expect(hashEntry(variant)).not.toBe(EXAMPLE_FIRST_HASH);
  });

  it('builds exactly what canonicalize() produces for any payload and text', () => {
    fc.assert(
      fc.property(
        fc.jsonValue({ stringUnit: 'grapheme' }),
        fc.string({ unit: 'grapheme', minLength: 1 }),
        (payload, actor) => {
          const fields = { ...EXAMPLE_FIRST, actor, payload } as UnhashedEntry;
          const { prevHash: _prevHash, ...hashed } = fields;
          expect(canonicalEntryBody(fields)).toBe(canonicalize(hashed));
        },
      ),
    );
  });
});
