import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { formatExportReport, verifyExport } from '@conveyor/audit-chain';
import type { CliContext } from '../cli-context';
import { CliError, ExitCode } from '../exit-codes';
import { isoTimeArgument, oneOf, uuidArgument, wholeNumber } from './arguments';
import { downloadExport, manifestPathFor, type DownloadedExport } from './audit-download';

interface ExportOptions {
  format: 'ndjson' | 'csv';
  output?: string;
  manifest?: string;
  fromSeq?: number;
  toSeq?: number;
  fromTime?: string;
  toTime?: string;
  type?: string[];
  subject?: string;
  correlationId?: string;
  actor?: string;
}

const format = oneOf(['ndjson', 'csv'] as const);
const collectTypes = (value: string, previous: string[] | undefined) => [
  ...(previous ?? []),
  ...value.split(',').filter((t) => t !== ''),
];

/** `conveyor audit export|evidence|verify`: download exports with their signed manifest; verify them offline. */
export function registerAuditCommands(program: Command, ctx: CliContext): void {
  const audit = program
    .command('audit')
    .description('the tamper-evident audit log: export, evidence, offline verification');

  audit
    .command('export')
    .description('download entries (all, or filtered) and their signed manifest beside them')
    .option('--format <format>', 'ndjson or csv', format, 'ndjson')
    .option('-o, --output <file>', 'where to write the export (default audit-<export id>.<format>)')
    .option(
      '--manifest <file>',
      "where to write the manifest (default: the export's name with .manifest.json)",
    )
    .option('--from-seq <n>', 'first seq (inclusive)', wholeNumber(1))
    .option('--to-seq <n>', 'last seq (inclusive)', wholeNumber(1))
    .option('--from-time <time>', 'from this time (inclusive, ISO-8601)', isoTimeArgument)
    .option('--to-time <time>', 'until this time (exclusive, ISO-8601)', isoTimeArgument)
    .option('--type <type>', 'event type (repeat or comma-separate)', collectTypes)
    .option('--subject <subject>', 'e.g. a deployment id')
    .option('--correlation-id <id>', 'entries of one correlation id')
    .option('--actor <actor>', 'entries caused by this actor')
    .action(async (options: ExportOptions, command: Command) => {
      const query = {
        format: options.format,
        fromSeq: options.fromSeq,
        toSeq: options.toSeq,
        fromTime: options.fromTime,
        toTime: options.toTime,
        type: options.type === undefined ? undefined : options.type.join(','),
        subject: options.subject,
        correlationId: options.correlationId,
        actor: options.actor,
      };
      const client = await ctx.client(command, 'audit');
      const result = await downloadExport(
        client,
        '/audit/export',
        query,
        (id) => options.output ?? `audit-${id}.${options.format}`,
        options.manifest,
      );
      report(ctx, command, result);
    });

  audit
    .command('evidence')
    .description('every entry about one deployment (its subject or correlation id), with its signed manifest')
    .argument('<deployment>', 'deployment id', uuidArgument('deployment'))
    .option('--format <format>', 'ndjson or csv', format, 'ndjson')
    .option('-o, --output <file>', 'where to write it (default evidence-<deployment>.<format>)')
    .option('--manifest <file>', 'where to write the manifest')
    .action(
      async (
        deploymentId: string,
        options: { format: 'ndjson' | 'csv'; output?: string; manifest?: string },
        command: Command,
      ) => {
        const client = await ctx.client(command, 'audit');
        const output = options.output ?? `evidence-${deploymentId}.${options.format}`;
        const result = await downloadExport(
          client,
          `/audit/evidence/${deploymentId}`,
          { format: options.format },
          () => output,
          options.manifest,
        );
        report(ctx, command, result);
      },
    );

  audit
    .command('verify')
    .description(
      'verify an export offline: its bytes, every entry hash, the chain links and the signatures (exit 0 verified, 1 not)',
    )
    .argument('<export>', 'the export file (.ndjson or .csv)')
    .option('--manifest <file>', "the export's manifest (default: beside it, .manifest.json)")
    .requiredOption(
      '--public-key <file>',
      "the audit service's public key (PEM), received through a channel you trust",
    )
    .option(
      '--checkpoint <file>',
      'a checkpoint the audit service published earlier (AUDIT_CHECKPOINT_DIR): reports a truncated tail or a rewrite',
    )
    .action(
      async (
        exportPath: string,
        options: { manifest?: string; publicKey: string; checkpoint?: string },
        command: Command,
      ) => {
        const manifestPath = options.manifest ?? manifestPathFor(exportPath);
        const publicKeyPem = await ctx.readInput(options.publicKey, 'public key');
        for (const [path, what] of [
          [exportPath, 'export'],
          [manifestPath, 'manifest'],
          ...(options.checkpoint === undefined ? [] : [[options.checkpoint, 'checkpoint'] as const]),
        ] as const) {
          const found = await stat(path).then(
            (s) => s.isFile(),
            () => false,
          );
          if (!found) throw new CliError(`${what} ${path} does not exist`, ExitCode.usage);
        }
        const result = await verifyExport({
          exportPath,
          manifestPath,
          publicKeyPem,
          publishedCheckpointPath: options.checkpoint,
        });
        ctx.output(command, result, () => [formatExportReport(result)]);
        ctx.exitCode = result.ok ? ExitCode.ok : ExitCode.failure;
      },
    );
}

function report(ctx: CliContext, command: Command, result: DownloadedExport): void {
  const { manifest } = result;
  const range =
    manifest.count === 0
      ? 'no entries'
      : `${manifest.count} entries, seq ${String(manifest.firstSeq)}..${String(manifest.lastSeq)}`;
  ctx.output(command, result, () => [
    `export ${result.exportId}: ${range}`,
    `  ${result.exportPath} (${result.bytes} bytes, sha256 ${result.sha256})`,
    `  ${result.manifestPath} (signed manifest)`,
    `verify offline: conveyor audit verify ${result.exportPath} --manifest ${result.manifestPath} --public-key audit-public.pem`,
  ]);
}
