import { errorMessage } from '@conveyor/errors';
/**
 * Offline verification of an audit export:
 *   node -r @swc-node/register tools/audit-verify/verify.ts --export f --manifest m --public-key k.pem
 *     [--checkpoint published-checkpoint.json] [--json]
 * Exit code 0 when the export verifies, 1 otherwise (including bad arguments).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatExportReport, verifyExport } from '@conveyor/audit-chain';

const USAGE =
  'usage: verify.ts --export <file> --manifest <file> --public-key <pem file> [--checkpoint <published checkpoint file>] [--json]';

async function main(argv: string[]): Promise<number> {
  let values: {
    export?: string;
    manifest?: string;
    'public-key'?: string;
    checkpoint?: string;
    json?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        export: { type: 'string' },
        manifest: { type: 'string' },
        'public-key': { type: 'string' },
        checkpoint: { type: 'string' },
        json: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${errorMessage(error)}\n${USAGE}\n`);
    return 1;
  }
  const { export: exportPath, manifest: manifestPath, 'public-key': publicKeyPath } = values;
  if (exportPath === undefined || manifestPath === undefined || publicKeyPath === undefined) {
    process.stderr.write(`--export, --manifest and --public-key are all required\n${USAGE}\n`);
    return 1;
  }
  let publicKeyPem: string;
  try {
    publicKeyPem = readFileSync(publicKeyPath, 'utf8');
  } catch (error) {
    process.stderr.write(`cannot read the public key: ${errorMessage(error)}\n`);
    return 1;
  }
  const report = await verifyExport({
    exportPath,
    manifestPath,
    publicKeyPem,
    publishedCheckpointPath: values.checkpoint,
  });
  process.stdout.write(
    values.json === true ? `${JSON.stringify(report, null, 2)}\n` : `${formatExportReport(report)}\n`,
  );
  return report.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `audit verify crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
