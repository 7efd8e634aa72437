import { errorMessage } from '@conveyor/errors';
/**
 * Child process of the audit benchmark: verifies an export offline (as tools/audit-verify does)
 * and prints one JSON line with the time it took and this process's peak RSS.
 */
import { readFileSync } from 'node:fs';
import { verifyExport } from '@conveyor/audit-chain';

async function main(): Promise<void> {
  const [exportPath, manifestPath, publicKeyPath] = process.argv.slice(2);
  if (exportPath === undefined || manifestPath === undefined || publicKeyPath === undefined) {
    throw new Error('usage: verify-child.ts <export> <manifest> <public key>');
  }
  const started = performance.now();
  const report = await verifyExport({
    exportPath,
    manifestPath,
    publicKeyPem: readFileSync(publicKeyPath, 'utf8'),
  });
  const seconds = (performance.now() - started) / 1000;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    `${JSON.stringify({ ok: report.ok, count: report.count, firstBadSeq: report.ok ? null : report.firstBadSeq, seconds, peakRssMb })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${errorMessage(error)}\n`);
  process.exitCode = 1;
});
