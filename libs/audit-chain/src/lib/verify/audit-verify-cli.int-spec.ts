import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateSigningKeyPair } from '@conveyor/signing-keys';
import { generateChain } from '../testing/chain-fixtures';
import { tempDirectory, writeSignedExport, type WrittenExport } from '../testing/export-files';

const run = promisify(execFile);
const repositoryRoot = join(__dirname, '../../../../..');
const auditKey = generateSigningKeyPair();
let directory: string;
let written: WrittenExport;
let keyPath: string;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function audit(args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['-r', '@swc-node/register', 'tools/audit-verify/verify.ts', ...args],
      { cwd: repositoryRoot },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

beforeAll(async () => {
  directory = await tempDirectory();
  keyPath = join(directory, 'audit-public.pem');
  await writeFile(keyPath, auditKey.publicKeyPem);
  written = await writeSignedExport({
    directory,
    name: 'cli',
    entries: generateChain(300),
    format: 'csv',
    filters: {},
    checkpoint: { atSeq: 300 },
    privateKeyPem: auditKey.privateKeyPem,
  });
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('tools/audit-verify/verify.ts', () => {
  it('exits 0 and prints the figures for a valid export', async () => {
    const result = await audit([
      '--export',
      written.exportPath,
      '--manifest',
      written.manifestPath,
      '--public-key',
      keyPath,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('OK: export verified (csv, contiguous, 300 entries, seq 1..300)');
    expect(result.stdout).toContain(auditKey.keyId);
  });

  it('exits 1 and names the bad seq in JSON when an entry was altered', async () => {
    const text = await readFile(written.exportPath, 'utf8');
    await writeFile(
      written.exportPath,
      text.replace(/(\r\n123,[^\r]*?)service:orchestrator/, '$1service:orchestrat0r'),
    );
    const result = await audit([
      '--export',
      written.exportPath,
      '--manifest',
      written.manifestPath,
      '--public-key',
      keyPath,
      '--json',
    ]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      ok: boolean;
      firstBadSeq: number;
      problems: Array<{ code: string }>;
    };
    expect(report).toMatchObject({ ok: false, firstBadSeq: 123 });
    expect(report.problems[0]).toMatchObject({ code: 'hash-mismatch', seq: 123 });
  });

  it('exits 1 with the usage when an argument is missing', async () => {
    const result = await audit(['--export', written.exportPath]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--export, --manifest and --public-key are all required');
  });
});
