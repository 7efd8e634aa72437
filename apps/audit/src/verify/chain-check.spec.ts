import { signCheckpoint, verifyCheckpoint, type ChainVerification } from '@conveyor/audit-chain';
import { generateSigningKeyPair } from '@conveyor/signing-keys';
import { assessChain } from './chain-check';

const keys = generateSigningKeyPair();
const H = (c: string) => c.repeat(64);
const okChain: ChainVerification = { ok: true, count: 3, firstSeq: 1, lastSeq: 3, headHash: H('c') };
const check = (c: Parameters<typeof verifyCheckpoint>[0]) => verifyCheckpoint(c, keys.publicKeyPem);
const checkpoint = signCheckpoint(
  { seq: 2, headHash: H('b'), time: '2025-03-01T00:00:00Z' },
  keys.privateKeyPem,
);

describe('assessing the stored chain', () => {
  it('passes a whole chain whose head and checkpoints agree', () => {
    const report = assessChain({
      head: { seq: 3, hash: H('c') },
      chain: okChain,
      checkpoints: [checkpoint],
      hashesAt: new Map([[2, H('b')]]),
      checkSignature: check,
    });
    expect(report).toMatchObject({
      ok: true,
      verifiedEntries: 3,
      headSeq: 3,
      checkpointsChecked: 1,
      firstBadSeq: null,
    });
  });

  it('names the first broken entry found by the chain check', () => {
    const chain: ChainVerification = {
      ok: false,
      verifiedCount: 6,
      reason: 'hash-mismatch',
      seq: 7,
      index: 6,
      message: 'altered',
    };
    expect(
      assessChain({
        head: { seq: 9, hash: H('c') },
        chain,
        checkpoints: [],
        hashesAt: new Map(),
        checkSignature: check,
      }),
    ).toMatchObject({
      ok: false,
      firstBadSeq: 7,
      reason: 'hash-mismatch',
    });
  });

  it('finds entries missing at the end, a head that disagrees and a rewritten checkpointed entry', () => {
    const base = { checkpoints: [], hashesAt: new Map<number, string>(), checkSignature: check };
    expect(assessChain({ ...base, head: { seq: 5, hash: H('c') }, chain: okChain })).toMatchObject({
      ok: false,
      firstBadSeq: 4,
      reason: 'seq-gap',
    });
    expect(assessChain({ ...base, head: { seq: 3, hash: H('d') }, chain: okChain })).toMatchObject({
      ok: false,
      firstBadSeq: 3,
      reason: 'head-mismatch',
    });
    const rewritten = assessChain({
      ...base,
      head: { seq: 3, hash: H('c') },
      chain: okChain,
      checkpoints: [checkpoint],
      hashesAt: new Map([[2, H('e')]]),
    });
    expect(rewritten).toMatchObject({ ok: false, firstBadSeq: 2, reason: 'checkpoint-mismatch' });
    const forged = { ...checkpoint, headHash: H('e') };
    const badSignature = assessChain({
      ...base,
      head: { seq: 3, hash: H('c') },
      chain: okChain,
      checkpoints: [forged],
      hashesAt: new Map([[2, H('e')]]),
    });
    expect(badSignature).toMatchObject({ ok: false, reason: 'checkpoint-signature-invalid' });
  });
});
