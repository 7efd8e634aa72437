import { readFile, rm, writeFile } from 'node:fs/promises';
import { appendBatch } from '../chain/append-batch';
import { hashEntry } from '../chain/hash-entry';
import type { AuditEntry } from '../entry/audit-entry';
import { EXPORT_FORMATS } from '../export/export-format';
import { signCheckpoint } from '../signing/checkpoint';
import { generateSigningKeyPair } from '@conveyor/signing-keys';
import { generateChain } from '../testing/chain-fixtures';
import { newEntry } from '../testing/entry-fixtures';
import { tempDirectory, writeSignedExport } from '../testing/export-files';
import { verifyExport } from './verify-export';

const auditKey = generateSigningKeyPair();
const BIG = 100_000;
let directory: string;

beforeAll(async () => {
  directory = await tempDirectory();
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

function checkpointFor(entry: AuditEntry): ReturnType<typeof signCheckpoint> {
  return signCheckpoint(
    { seq: entry.seq, headHash: entry.hash, time: '2025-03-01T23:00:00.000Z' },
    auditKey.privateKeyPem,
  );
}

/** Flips one bit of one character of the file, at the position `locate` finds. */
async function flipCharacter(path: string, locate: (bytes: Buffer) => number): Promise<void> {
  const bytes = await readFile(path);
  const at = locate(bytes);
  if (at < 0) throw new Error('position to alter not found');
  bytes[at] = bytes[at]! ^ 1;
  await writeFile(path, bytes);
}

/** The first letter of the actor of the NDJSON line of seq 50,000 (lines start with {"actor":"). */
function ndjsonActorOfSeq50000(bytes: Buffer): number {
  const seqAt = bytes.indexOf('"seq":50000,');
  return seqAt < 0 ? -1 : bytes.lastIndexOf('\n', seqAt) + 1 + '{"actor":"'.length;
}

/** The "w" of the first "web-" inside the payload column of the CSV record of seq 50,000. */
function csvPayloadOfSeq50000(bytes: Buffer): number {
  const recordAt = bytes.indexOf('\r\n50000,');
  return recordAt < 0 ? -1 : bytes.indexOf('web-', recordAt);
}

const SLOW = 240_000;

describe.each(EXPORT_FORMATS)('verifyExport on a %s export of 100,000 entries', (format) => {
  const exportPath = (): string => `${directory}/big-${format}.${format}`;
  const manifestPath = (): string => `${directory}/big-${format}.manifest.json`;
  let manifestHeadHash: string | null = null;

  beforeAll(async () => {
    const written = await writeSignedExport({
      directory,
      name: `big-${format}`,
      entries: generateChain(BIG),
      format,
      filters: {},
      checkpoint: { atSeq: 80_000 },
      privateKeyPem: auditKey.privateKeyPem,
    });
    manifestHeadHash = written.manifest.headHash;
  }, SLOW);

  it(
    'verifies the untouched export with only the public key',
    async () => {
      const report = await verifyExport({
        exportPath: exportPath(),
        manifestPath: manifestPath(),
        publicKeyPem: auditKey.publicKeyPem,
      });
      expect(report).toMatchObject({
        ok: true,
        format,
        mode: 'contiguous',
        count: BIG,
        firstSeq: 1,
        lastSeq: BIG,
        headHash: manifestHeadHash,
        keyId: auditKey.keyId,
        checkpoint: { seq: 80_000, coverage: 'entry-matches' },
      });
    },
    SLOW,
  );

  it(
    'names seq 50,000 when one character of that entry is flipped',
    async () => {
      await flipCharacter(exportPath(), format === 'ndjson' ? ndjsonActorOfSeq50000 : csvPayloadOfSeq50000);
      const report = await verifyExport({
        exportPath: exportPath(),
        manifestPath: manifestPath(),
        publicKeyPem: auditKey.publicKeyPem,
      });
      expect(report.ok).toBe(false);
      if (report.ok) return;
      expect(report.firstBadSeq).toBe(50_000);
      expect(report.problems.map((problem) => problem.code)).toEqual([
        'hash-mismatch',
        'export-sha256-mismatch',
      ]);
      expect(report.problems[0]).toMatchObject({ seq: 50_000, line: format === 'csv' ? 50_001 : 50_000 });
      expect(report.count).toBe(49_999);
    },
    SLOW,
  );
});

describe('verifyExport against forgeries', () => {
  const chain = [...generateChain(1000)];

  it('catches a chain rewritten after the checkpoint even when every hash and the file digest are redone', async () => {
    const written = await writeSignedExport({
      directory,
      name: 'rewritten',
      entries: chain,
      format: 'ndjson',
      filters: {},
      checkpoint: checkpointFor(chain[899]!),
      privateKeyPem: auditKey.privateKeyPem,
    });
    // The forger changes entry 700, re-hashes everything after it and updates the manifest's figures.
    const forged = chain.slice(0, 699);
    let head = { seq: 699, hash: chain[698]!.hash };
    for (const entry of chain.slice(699)) {
      const [rehashed] = appendBatch(head, [
        { ...newEntry(entry.seq), actor: entry.seq === 700 ? 'user:mallory' : entry.actor },
      ]);
      forged.push(rehashed!);
      head = { seq: rehashed!.seq, hash: rehashed!.hash };
    }
    const reforged = await writeSignedExport({
      directory,
      name: 'rewritten-forged',
      entries: forged,
      format: 'ndjson',
      filters: {},
      checkpoint: null,
      privateKeyPem: generateSigningKeyPair().privateKeyPem,
    });
    await writeFile(
      written.manifestPath,
      JSON.stringify({
        ...written.manifest,
        exportSha256: reforged.manifest.exportSha256,
        headHash: reforged.manifest.headHash,
      }),
    );
    const report = await verifyExport({
      exportPath: reforged.exportPath,
      manifestPath: written.manifestPath,
      publicKeyPem: auditKey.publicKeyPem,
    });
    expect(report).toMatchObject({ ok: false, firstBadSeq: 900 });
    expect(report.ok ? [] : report.problems.map((problem) => problem.code)).toEqual([
      'checkpoint-mismatch',
      'manifest-signature-invalid',
    ]);
  });

  it('rejects an export checked with a different public key', async () => {
    const written = await writeSignedExport({
      directory,
      name: 'other-key',
      entries: chain,
      format: 'csv',
      filters: {},
      checkpoint: checkpointFor(chain[999]!),
      privateKeyPem: auditKey.privateKeyPem,
    });
    const report = await verifyExport({
      exportPath: written.exportPath,
      manifestPath: written.manifestPath,
      publicKeyPem: generateSigningKeyPair().publicKeyPem,
    });
    expect(report.ok ? [] : report.problems.map((problem) => problem.code)).toEqual([
      'manifest-signature-invalid',
      'checkpoint-signature-invalid',
    ]);
  });

  it('reports a truncated export against the manifest figures', async () => {
    const written = await writeSignedExport({
      directory,
      name: 'truncated',
      entries: chain,
      format: 'ndjson',
      filters: {},
      checkpoint: null,
      privateKeyPem: auditKey.privateKeyPem,
    });
    const text = await readFile(written.exportPath, 'utf8');
    await writeFile(written.exportPath, text.slice(0, text.lastIndexOf('\n', text.length - 2) + 1));
    const report = await verifyExport({
      exportPath: written.exportPath,
      manifestPath: written.manifestPath,
      publicKeyPem: auditKey.publicKeyPem,
    });
    expect(report.ok ? [] : report.problems.map((problem) => problem.code)).toEqual([
      'export-sha256-mismatch',
      'count-mismatch',
      'last-seq-mismatch',
      'head-hash-mismatch',
    ]);
  });

  it('refuses a contiguous export whose checkpoint it does not contain', async () => {
    const written = await writeSignedExport({
      directory,
      name: 'uncovered',
      entries: chain.slice(99, 200),
      format: 'csv',
      filters: { fromSeq: 100, toSeq: 200 },
      checkpoint: checkpointFor(chain[899]!),
      privateKeyPem: auditKey.privateKeyPem,
    });
    const report = await verifyExport({
      exportPath: written.exportPath,
      manifestPath: written.manifestPath,
      publicKeyPem: auditKey.publicKeyPem,
    });
    expect(report).toMatchObject({ ok: false, problems: [{ code: 'checkpoint-not-covered', seq: 900 }] });
  });

  it('reports missing entries in a seq-range export at the first seq after the hole', async () => {
    const holed = chain.slice(99, 200).filter((entry) => entry.seq !== 150);
    const written = await writeSignedExport({
      directory,
      name: 'holed',
      entries: holed,
      format: 'ndjson',
      filters: { fromSeq: 100, toSeq: 200 },
      checkpoint: null,
      privateKeyPem: auditKey.privateKeyPem,
    });
    const report = await verifyExport({
      exportPath: written.exportPath,
      manifestPath: written.manifestPath,
      publicKeyPem: auditKey.publicKeyPem,
    });
    expect(report).toMatchObject({
      ok: false,
      firstBadSeq: 151,
      problems: [{ code: 'seq-gap', seq: 151, line: 51 }],
    });
  });
});

describe('verifyExport on a filtered export', () => {
  const chain = [...generateChain(600)];
  const filters = { types: ['deployment.batch.started'] };
  const matching = chain.filter((entry) => entry.type === 'deployment.batch.started');

  it('verifies each entry on its own and checks that it matches the filters', async () => {
    const written = await writeSignedExport({
      directory,
      name: 'filtered',
      entries: matching,
      format: 'csv',
      filters,
      checkpoint: checkpointFor(matching[10]!),
      privateKeyPem: auditKey.privateKeyPem,
    });
    const report = await verifyExport({
      exportPath: written.exportPath,
      manifestPath: written.manifestPath,
      publicKeyPem: auditKey.publicKeyPem,
    });
    expect(report).toMatchObject({
      ok: true,
      mode: 'subset',
      count: 200,
      firstSeq: 3,
      lastSeq: 600,
      checkpoint: { seq: 33, coverage: 'entry-matches' },
    });
  });

  it('catches an entry that does not belong to the filtered export', async () => {
    const smuggled = [...matching.slice(0, 5), chain[16]!, ...matching.slice(6)];
    const written = await writeSignedExport({
      directory,
      name: 'smuggled',
      entries: smuggled,
      format: 'ndjson',
      filters,
      checkpoint: null,
      privateKeyPem: auditKey.privateKeyPem,
    });
    const report = await verifyExport({
      exportPath: written.exportPath,
      manifestPath: written.manifestPath,
      publicKeyPem: auditKey.publicKeyPem,
    });
    expect(report).toMatchObject({
      ok: false,
      firstBadSeq: 17,
      problems: [{ code: 'entry-outside-filters', seq: 17 }],
    });
  });

  it('catches an entry whose content was altered and re-hashed with a made-up prevHash', async () => {
    const target = matching[3]!;
    const altered = { ...target, actor: 'user:mallory' };
    const forged = [...matching.slice(0, 3), { ...altered, hash: hashEntry(altered) }, ...matching.slice(4)];
    const written = await writeSignedExport({
      directory,
      name: 'altered-subset',
      entries: forged,
      format: 'ndjson',
      filters,
      checkpoint: checkpointFor(target),
      privateKeyPem: auditKey.privateKeyPem,
    });
    const report = await verifyExport({
      exportPath: written.exportPath,
      manifestPath: written.manifestPath,
      publicKeyPem: auditKey.publicKeyPem,
    });
    expect(report).toMatchObject({
      ok: false,
      firstBadSeq: target.seq,
      problems: [{ code: 'checkpoint-mismatch' }],
    });
  });
});
