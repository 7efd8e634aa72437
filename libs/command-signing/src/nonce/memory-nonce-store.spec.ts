import { MemoryNonceStore } from './memory-nonce-store';

const t = (ms: number): Date => new Date(ms);

describe('MemoryNonceStore', () => {
  it('records a nonce once and refuses it again until its keepUntil', async () => {
    const store = new MemoryNonceStore();
    expect(await store.recordIfNew('n1', t(1000), t(0))).toBe(true);
    expect(await store.recordIfNew('n1', t(1000), t(999))).toBe(false);
    expect(await store.recordIfNew('n1', t(2000), t(1000))).toBe(true);
  });

  it('of concurrent records of one nonce, accepts exactly one', async () => {
    const store = new MemoryNonceStore();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => store.recordIfNew('n', t(1000), t(0))),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('prunes expired nonces and keeps live ones', async () => {
    const store = new MemoryNonceStore();
    await store.recordIfNew('old', t(100), t(0));
    await store.recordIfNew('live', t(500), t(0));
    expect(await store.prune(t(100))).toBe(1);
    expect(store.size).toBe(1);
    expect(store.has('live', t(100))).toBe(true);
  });

  it('prunes by itself as records accumulate', async () => {
    const store = new MemoryNonceStore(10);
    for (let i = 0; i < 10; i++) await store.recordIfNew(`n${i}`, t(10), t(0));
    for (let i = 0; i < 10; i++) await store.recordIfNew(`m${i}`, t(100), t(50));
    expect(store.size).toBe(10);
  });
});
