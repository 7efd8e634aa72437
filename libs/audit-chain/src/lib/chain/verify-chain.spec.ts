import type { AuditEntry } from '../entry/audit-entry';
import { newEntries } from '../testing/entry-fixtures';
import { appendBatch } from './append-batch';
import { hashEntry } from './hash-entry';
import { verifyChain } from './verify-chain';

function chainOf(count: number): AuditEntry[] {
  return appendBatch(null, newEntries(count));
}

function replaceAt(
  entries: AuditEntry[],
  seq: number,
  change: (entry: AuditEntry) => AuditEntry,
): AuditEntry[] {
  return entries.map((entry) => (entry.seq === seq ? change(entry) : entry));
}

describe('verifyChain', () => {
  it('accepts an intact chain and reports its figures', async () => {
    const entries = chainOf(10);
    await expect(verifyChain(entries, { expectedFirstSeq: 1 })).resolves.toEqual({
      ok: true,
      count: 10,
      firstSeq: 1,
      lastSeq: 10,
      headHash: entries[9]!.hash,
    });
  });

  it('accepts an async iterable (a database cursor)', async () => {
    const entries = chainOf(5);
    async function* rows(): AsyncGenerator<AuditEntry> {
      for (const entry of entries) yield entry;
    }
    await expect(verifyChain(rows())).resolves.toMatchObject({ ok: true, count: 5, lastSeq: 5 });
  });

  it('accepts an empty chain', async () => {
    await expect(verifyChain([])).resolves.toEqual({
      ok: true,
      count: 0,
      firstSeq: null,
      lastSeq: null,
      headHash: null,
    });
  });

  it.each<[string, (entry: AuditEntry) => AuditEntry]>([
    ['actor', (entry) => ({ ...entry, actor: 'user:mallory' })],
    [
      'one character of the payload',
      (entry) => ({
        ...entry,
        payload: JSON.parse(JSON.stringify(entry.payload).replace('web-', 'wab-')) as AuditEntry['payload'],
      }),
    ],
    ['time', (entry) => ({ ...entry, time: '2030-01-01T00:00:00.000Z' })],
    ['type', (entry) => ({ ...entry, type: 'deployment.succeeded' })],
    ['subject', (entry) => ({ ...entry, subject: null })],
    ['correlationId', (entry) => ({ ...entry, correlationId: 'corr-x' })],
    ['eventId', (entry) => ({ ...entry, eventId: '00000000-0000-4000-8000-ffffffffffff' })],
    ['hash', (entry) => ({ ...entry, hash: entry.hash.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) })],
  ])('reports a hash mismatch at the seq whose %s was altered', async (_field, alter) => {
    const result = await verifyChain(replaceAt(chainOf(20), 13, alter));
    expect(result).toMatchObject({ ok: false, reason: 'hash-mismatch', seq: 13, verifiedCount: 12 });
  });

  it('reports the link after an entry that was altered and re-hashed', async () => {
    const forged = replaceAt(chainOf(20), 13, (entry) => {
      const altered = { ...entry, actor: 'user:mallory' };
      return { ...altered, hash: hashEntry(altered) };
    });
    const result = await verifyChain(forged);
    expect(result).toMatchObject({ ok: false, reason: 'prev-hash-mismatch', seq: 14 });
    expect(result.ok ? '' : result.message).toContain('the hash of entry 13');
  });

  it('reports a gap at the first entry after the missing ones', async () => {
    const entries = chainOf(20).filter((entry) => entry.seq !== 8 && entry.seq !== 9);
    const result = await verifyChain(entries);
    expect(result).toMatchObject({ ok: false, reason: 'seq-gap', seq: 10 });
    expect(result.ok ? '' : result.message).toContain('entries 8..9 are missing');
  });

  it('detects a fork: two batches appended to the same head', async () => {
    const base = chainOf(5);
    const head = { seq: 5, hash: base[4]!.hash };
    const branchA = appendBatch(head, newEntries(3, 100));
    const branchB = appendBatch(head, newEntries(3, 200));
    const result = await verifyChain([...base, ...branchA, ...branchB]);
    expect(result).toMatchObject({ ok: false, reason: 'seq-out-of-order', seq: 6, index: 8 });
  });

  it('detects a fork renumbered to look contiguous: its first entry does not link to the previous one', async () => {
    const base = chainOf(5);
    const branchA = appendBatch({ seq: 5, hash: base[4]!.hash }, newEntries(3, 100));
    const branchB = appendBatch({ seq: 8, hash: base[4]!.hash }, newEntries(3, 200));
    const result = await verifyChain([...base, ...branchA, ...branchB]);
    expect(result).toMatchObject({ ok: false, reason: 'prev-hash-mismatch', seq: 9 });
  });

  it('checks where a range must start and what it must link to', async () => {
    const entries = chainOf(10).slice(4);
    await expect(
      verifyChain(entries, { expectedFirstSeq: 5, expectedPrevHash: chainOf(10)[3]!.hash }),
    ).resolves.toMatchObject({ ok: true, firstSeq: 5 });
    await expect(verifyChain(entries, { expectedFirstSeq: 3 })).resolves.toMatchObject({
      ok: false,
      reason: 'seq-gap',
      seq: 5,
    });
    await expect(verifyChain(entries, { expectedPrevHash: 'f'.repeat(64) })).resolves.toMatchObject({
      ok: false,
      reason: 'prev-hash-mismatch',
      seq: 5,
    });
  });

  it('requires the genesis prevHash at seq 1', async () => {
    const [first] = chainOf(1);
    const forged = { ...first!, prevHash: '1'.repeat(64) };
    const rehashed = { ...forged, hash: hashEntry(forged) };
    await expect(verifyChain([rehashed])).resolves.toMatchObject({
      ok: false,
      reason: 'prev-hash-mismatch',
      seq: 1,
    });
  });

  it('reports a malformed entry with the seq expected at that position and the field at fault', async () => {
    const entries: unknown[] = chainOf(5);
    entries[3] = { ...(entries[3] as AuditEntry), smuggled: 'not covered by the hash' };
    const result = await verifyChain(entries);
    expect(result).toMatchObject({ ok: false, reason: 'malformed-entry', seq: 4 });
    expect(result.ok ? '' : result.message).toMatch(/smuggled/);
    const missing: unknown[] = chainOf(2);
    const { actor: _actor, ...withoutActor } = missing[1] as AuditEntry;
    missing[1] = withoutActor;
    await expect(verifyChain(missing)).resolves.toMatchObject({
      ok: false,
      reason: 'malformed-entry',
      seq: 2,
      message: expect.stringContaining('actor'),
    });
  });
});
