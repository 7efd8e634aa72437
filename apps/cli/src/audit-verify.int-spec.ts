import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import {
  appendBatch,
  checkpointFileName,
  checkpointFileText,
  createSignedManifest,
  signCheckpoint,
  writeExport,
  type NewAuditEntry,
} from '@conveyor/audit-chain';
import { generateSigningKeyPair } from '@conveyor/signing-keys';
import { conveyor } from './testing/cli-process';

const entry = (n: number): NewAuditEntry => ({
  eventId: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
  type: n % 2 === 0 ? 'deployment.batch.started' : 'api.action.performed',
  subject: 'b1946ac9-2f3e-4b5a-9c8d-7e6f5a4b3c2d',
  correlationId: null,
  actor: n % 2 === 0 ? 'service:orchestrator' : 'carol',
  time: new Date(Date.UTC(2025, 2, 1, 10) + n * 1000).toISOString(),
  payload: { note: `entry ${n}`, servers: ['web-1', 'web-2'] },
});

describe('conveyor audit verify and keys generate, offline', () => {
  let dir: string;
  let exportPath: string;
  let publicKeyPath: string;
  let privateKeyPem: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'conveyor-cli-audit-'));
    const keys = generateSigningKeyPair();
    privateKeyPem = keys.privateKeyPem;
    publicKeyPath = join(dir, 'audit-public.pem');
    await writeFile(publicKeyPath, keys.publicKeyPem);
    const entries = appendBatch(
      null,
      Array.from({ length: 8 }, (_, i) => entry(i + 1)),
    );
    exportPath = join(dir, 'audit.ndjson');
    const out = createWriteStream(exportPath);
    const summary = await writeExport(entries, 'ndjson', out);
    out.end();
    await finished(out);
    const last = entries[entries.length - 1]!;
    const checkpoint = signCheckpoint(
      { seq: last.seq, headHash: last.hash, time: '2025-03-01T11:00:00.000Z' },
      keys.privateKeyPem,
    );
    const manifest = createSignedManifest(
      { summary, filters: {}, checkpoint, generatedAt: '2025-03-01T11:00:01.000Z' },
      keys.privateKeyPem,
    );
    await writeFile(join(dir, 'audit.manifest.json'), JSON.stringify(manifest, null, 2));
  });

  it('passes a good export (exit 0), finding the manifest beside it', async () => {
    const run = await conveyor(['audit', 'verify', exportPath, '--public-key', publicKeyPath]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^OK: export verified \(ndjson, contiguous, 8 entries, seq 1\.\.8\)/);
  });

  it('fails an export edited by one character (exit 1), naming the first bad seq, in words and in JSON', async () => {
    const tampered = join(dir, 'tampered.ndjson');
    await writeFile(tampered, (await readFile(exportPath, 'utf8')).replace('entry 3', 'entry 4'));
    const manifest = join(dir, 'audit.manifest.json');
    const run = await conveyor([
      'audit',
      'verify',
      tampered,
      '--manifest',
      manifest,
      '--public-key',
      publicKeyPath,
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('FAILED: export does not verify (first bad seq: 3)');
    expect(run.stdout).toMatch(/hash-mismatch \[seq 3, line 3\]/);
    const json = await conveyor([
      'audit',
      'verify',
      tampered,
      '--manifest',
      manifest,
      '--public-key',
      publicKeyPath,
      '--json',
    ]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, firstBadSeq: 3 });
  });

  it('checks the export against a checkpoint published earlier: a truncated tail fails (exit 1)', async () => {
    // Published when the chain had reached seq 10; this export (a consistent, signed chain) ends at 8.
    const published = join(dir, checkpointFileName(10));
    await writeFile(
      published,
      checkpointFileText(
        signCheckpoint(
          { seq: 10, headHash: 'a'.repeat(64), time: '2025-03-01T12:00:00.000Z' },
          privateKeyPem,
        ),
      ),
    );
    const run = await conveyor([
      'audit',
      'verify',
      exportPath,
      '--public-key',
      publicKeyPath,
      '--checkpoint',
      published,
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('truncated-tail [seq 10]');
    expect(run.stdout).toContain('this export ends at seq 8');
    const missing = await conveyor([
      'audit',
      'verify',
      exportPath,
      '--public-key',
      publicKeyPath,
      '--checkpoint',
      join(dir, 'nope.json'),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`checkpoint ${join(dir, 'nope.json')} does not exist`);
  });

  it('says which file is missing (exit 2)', async () => {
    const run = await conveyor(['audit', 'verify', join(dir, 'nope.ndjson'), '--public-key', publicKeyPath]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`error: export ${join(dir, 'nope.ndjson')} does not exist\n`);
  });

  it('generates a signing key pair with a secret private key, and never overwrites one (exit 1)', async () => {
    const keysDir = join(dir, 'keys');
    const first = await conveyor(['keys', 'generate', '--out', keysDir, '--name', 'orchestrator']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^key id [0-9a-f]{16}\n/);
    expect((await stat(join(keysDir, 'orchestrator.key.pem'))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(keysDir, 'orchestrator.pub.pem'), 'utf8')).toContain('BEGIN PUBLIC KEY');
    const again = await conveyor(['keys', 'generate', '--out', keysDir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists; refusing to overwrite a signing key');
  });
});
