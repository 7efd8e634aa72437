import fc from 'fast-check';
import { appendBatch } from '../chain/append-batch';
import { verifyChain } from '../chain/verify-chain';
import type { AuditEntry, NewAuditEntry } from '../entry/audit-entry';
import { canonicalJson } from '../entry/canonical-json';
import type { JsonValue } from '../entry/json-value';
import { createEntryEncoder } from './entry-encoder';
import { createExportDecoder } from './export-decoder';
import { EXPORT_FORMATS, type ExportFormat } from './export-format';

const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 });
/** Text biased towards the characters that break naive CSV and line handling. */
const nastyText = fc.oneof(
  text,
  fc
    .array(fc.constantFrom(',', '"', '\n', '\r', '\r\n', ' ', 'a', 'é', '🚀'), { minLength: 1, maxLength: 8 })
    .map((parts) => parts.join('')),
);

const newEntryArbitrary: fc.Arbitrary<NewAuditEntry> = fc.record({
  eventId: fc.uuid({ version: 4 }),
  type: nastyText,
  subject: fc.option(nastyText, { nil: null }),
  correlationId: fc.option(nastyText, { nil: null }),
  actor: nastyText,
  time: fc
    .date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2100-01-01T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((date) => date.toISOString()),
  payload: fc.oneof(
    fc.jsonValue({ stringUnit: 'grapheme', maxDepth: 3 }) as fc.Arbitrary<JsonValue>,
    fc.dictionary(nastyText, nastyText),
  ),
});

function encode(format: ExportFormat, entries: ReturnType<typeof appendBatch>): string {
  const encoder = createEntryEncoder(format);
  return encoder.preamble + entries.map((entry) => encoder.encode(entry)).join('');
}

function decodeInChunks(format: ExportFormat, exported: string, chunkSize: number): unknown[] {
  const decoder = createExportDecoder(format);
  const records = [];
  for (let at = 0; at < exported.length; at += chunkSize)
    records.push(...decoder.push(exported.slice(at, at + chunkSize)));
  records.push(...decoder.end());
  return records.map((record) => (record.result.ok ? record.result.entry : record.result.message));
}

describe('export round trip (property)', () => {
  it.each(EXPORT_FORMATS)(
    'any entries survive %s export and import, in any chunking, and still verify',
    async (format) => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(newEntryArbitrary, { maxLength: 15 }),
          fc.integer({ min: 1, max: 200 }),
          async (newEntries, chunkSize) => {
            const entries = appendBatch(null, newEntries);
            const decoded = decodeInChunks(format, encode(format, entries), chunkSize);
            // Compared as JSON text: -0 and 0 are the same JSON number, as RFC 8785 says.
            expect(
              decoded.map((entry) =>
                typeof entry === 'string' ? entry : canonicalJson(entry as AuditEntry),
              ),
            ).toEqual(entries.map((entry) => canonicalJson(entry)));
            await expect(verifyChain(decoded, { expectedFirstSeq: 1 })).resolves.toMatchObject({
              ok: true,
              count: entries.length,
            });
          },
        ),
        { numRuns: 150 },
      );
    },
  );
});
