import { GENESIS_PREV_HASH } from '../entry/audit-entry';
import { newEntries, newEntry } from '../testing/entry-fixtures';
import { appendBatch, InvalidAppendError } from './append-batch';
import { hashEntry } from './hash-entry';

describe('appendBatch', () => {
  it('starts an empty chain at seq 1 linked to the genesis hash', () => {
    const [first] = appendBatch(null, [newEntry(1)]);
    expect(first!.seq).toBe(1);
    expect(first!.prevHash).toBe(GENESIS_PREV_HASH);
    expect(first!.hash).toBe(hashEntry(first!));
  });

  it('continues after the head: consecutive seqs, each linked to the previous hash', () => {
    const firstBatch = appendBatch(null, newEntries(3));
    const head = firstBatch[2]!;
    const secondBatch = appendBatch({ seq: head.seq, hash: head.hash }, newEntries(3, 4));
    expect(secondBatch.map((entry) => entry.seq)).toEqual([4, 5, 6]);
    expect(secondBatch[0]!.prevHash).toBe(head.hash);
    expect(secondBatch[1]!.prevHash).toBe(secondBatch[0]!.hash);
    expect(secondBatch[2]!.prevHash).toBe(secondBatch[1]!.hash);
  });

  it('returns nothing for an empty batch', () => {
    expect(appendBatch(null, [])).toEqual([]);
  });

  it('refuses an entry whose payload JSON cannot represent, naming the entry and path', () => {
    const bad = newEntry(2, { payload: { when: new Date(0) } as never });
    expect(() => appendBatch(null, [newEntry(1), bad])).toThrow(InvalidAppendError);
    expect(() => appendBatch(null, [newEntry(1), bad])).toThrow(
      /new entry #1 .*payload\.when is a class instance/,
    );
  });

  it('refuses NaN, empty subjects, lone surrogates and bad ids', () => {
    expect(() => appendBatch(null, [newEntry(1, { payload: { ratio: Number.NaN } })])).toThrow(
      /payload\.ratio is NaN/,
    );
    expect(() => appendBatch(null, [newEntry(1, { subject: '' })])).toThrow(/subject: must not be empty/);
    expect(() => appendBatch(null, [newEntry(1, { actor: 'bob\ud800' })])).toThrow(
      /actor: contains an unpaired UTF-16 surrogate/,
    );
    expect(() => appendBatch(null, [newEntry(1, { eventId: 'not-a-uuid' })])).toThrow(/eventId/);
    expect(() => appendBatch(null, [newEntry(1, { time: 'yesterday' })])).toThrow(/time/);
  });

  it('refuses a head that is not a chain head', () => {
    expect(() => appendBatch({ seq: 0, hash: GENESIS_PREV_HASH }, [newEntry(1)])).toThrow(/head must have/);
    expect(() => appendBatch({ seq: 3, hash: 'ABC' }, [newEntry(1)])).toThrow(/head must have/);
  });
});
