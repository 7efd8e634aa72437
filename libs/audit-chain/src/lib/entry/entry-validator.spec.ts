import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { generateChain } from '../testing/chain-fixtures';
import { newEntry } from '../testing/entry-fixtures';
import { auditEntrySchema, newAuditEntrySchema, parseAuditEntry } from './audit-entry';
import { canonicalJson } from './canonical-json';
import { isValidEntry, isValidNewEntry } from './entry-validator';
import type { JsonValue } from './json-value';

const [validEntry] = [...generateChain(1)];

/** Variations of a valid entry: each field replaced by something plausible or wrong. */
const fieldValue = fc.oneof(
  fc.constant(null),
  fc.constant(''),
  fc.constant('\ud800'),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.constant('2025-02-30T00:00:00Z'),
  fc.constant('2024-02-29T23:59:59.5+01:00'),
  fc.constant('2025-01-01T24:00:00Z'),
  fc.constant('3f1c6a52-8d4e-4b7a-9c2e-5a6b7c8d9e0f'),
  fc.constant('3f1c6a52-8d4e-9b7a-9c2e-5a6b7c8d9e0f'),
  fc.constant('A'.repeat(64)),
  fc.constant('a'.repeat(64)),
  fc.constant({ toJSON: 1 }),
  fc.constant([1, Number.NaN]),
  fc.constant(new Date(0)),
);
const fieldName = fc.constantFrom(
  'seq',
  'eventId',
  'type',
  'subject',
  'correlationId',
  'actor',
  'time',
  'payload',
  'prevHash',
  'hash',
  'extra',
);

describe('the hand-written entry validator', () => {
  it('accepts exactly what the zod schema accepts, field by field', () => {
    fc.assert(
      fc.property(fieldName, fieldValue, fc.boolean(), (name, value, remove) => {
        const candidate: Record<string, unknown> = { ...validEntry };
        if (remove) delete candidate[name];
        else candidate[name] = value;
        expect(isValidEntry(candidate)).toBe(auditEntrySchema.safeParse(candidate).success);
        const { seq: _seq, prevHash: _prev, hash: _hash, ...fresh } = candidate;
        expect(isValidNewEntry(fresh)).toBe(newAuditEntrySchema.safeParse(fresh).success);
      }),
      { numRuns: 2000 },
    );
  });

  it('still explains a refusal field by field', () => {
    expect(parseAuditEntry({ ...validEntry, time: '2025-02-30T00:00:00Z' })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^time: /),
    });
    expect(isValidNewEntry(newEntry(3))).toBe(true);
  });
});

describe('canonicalJson', () => {
  it('writes the same text as canonicalize for any JSON value, sorted or not', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const json = value as JsonValue;
        expect(canonicalJson(json)).toBe(canonicalize(json));
        const reparsed = JSON.parse(canonicalize(json) ?? 'null') as JsonValue;
        expect(canonicalJson(reparsed)).toBe(canonicalize(json));
      }),
      { numRuns: 1000 },
    );
  });

  it('sorts keys by UTF-16 code units, as RFC 8785 requires', () => {
    expect(canonicalJson({ b: 1, a: [{ '\u00e9': 1, z: 2 }], '\ud83d\ude00': 0, '\ufb33': 0 })).toBe(
      '{"a":[{"z":2,"\u00e9":1}],"b":1,"\ud83d\ude00":0,"\ufb33":0}',
    );
  });
});
