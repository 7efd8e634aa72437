import type { ChainFailureReason } from '../chain/chain-failure';
import type { ExportFormat } from '../export/export-format';

export type ExportProblemCode =
  | ChainFailureReason
  | 'entry-outside-filters'
  | 'checkpoint-mismatch'
  | 'checkpoint-not-covered'
  | 'checkpoint-signature-invalid'
  | 'manifest-invalid'
  | 'manifest-signature-invalid'
  | 'public-key-invalid'
  | 'export-unreadable'
  | 'export-sha256-mismatch'
  | 'count-mismatch'
  | 'first-seq-mismatch'
  | 'last-seq-mismatch'
  | 'first-prev-hash-mismatch'
  | 'head-hash-mismatch'
  | 'published-checkpoint-invalid'
  | 'published-checkpoint-mismatch'
  | 'published-checkpoint-not-covered'
  | 'truncated-tail';

export interface ExportProblem {
  readonly code: ExportProblemCode;
  readonly message: string;
  /** Sequence number concerned, when there is one. */
  readonly seq?: number | null;
  /** 1-based line of the export file where the record starts. */
  readonly line?: number;
}

/** How the manifest's checkpoint relates to the exported entries. */
export type CheckpointCoverage = 'entry-matches' | 'not-in-export';

export interface ExportFigures {
  readonly format: ExportFormat | null;
  /** contiguous: verified link by link; subset: a filtered export, each entry verified on its own. */
  readonly mode: 'contiguous' | 'subset' | null;
  readonly count: number;
  readonly firstSeq: number | null;
  readonly lastSeq: number | null;
  readonly headHash: string | null;
  readonly exportSha256: string | null;
  readonly keyId: string | null;
  readonly checkpoint: { seq: number; headHash: string; time: string; coverage: CheckpointCoverage } | null;
}

export type ExportVerificationReport =
  | ({ ok: true } & ExportFigures)
  | ({ ok: false; firstBadSeq: number | null; problems: ExportProblem[] } & ExportFigures);

/** Human-readable summary for the CLI. */
export function formatExportReport(report: ExportVerificationReport): string {
  const range =
    report.count === 0
      ? 'no entries'
      : `${report.count} entries, seq ${String(report.firstSeq)}..${String(report.lastSeq)}`;
  const checkpoint =
    report.checkpoint === null
      ? 'no checkpoint in the manifest'
      : `checkpoint seq ${report.checkpoint.seq} (${report.checkpoint.time}) ${report.checkpoint.coverage === 'entry-matches' ? 'matches the exported entry' : 'is not among the exported entries'}`;
  if (report.ok) {
    return [
      `OK: export verified (${String(report.format)}, ${String(report.mode)}, ${range})`,
      `  head hash      ${String(report.headHash)}`,
      `  export sha256  ${String(report.exportSha256)}`,
      `  signed by key  ${String(report.keyId)}; ${checkpoint}`,
    ].join('\n');
  }
  const lines = [
    `FAILED: export does not verify${report.firstBadSeq === null ? '' : ` (first bad seq: ${report.firstBadSeq})`}`,
  ];
  for (const problem of report.problems) {
    const where = [
      problem.seq === undefined || problem.seq === null ? null : `seq ${problem.seq}`,
      problem.line === undefined ? null : `line ${problem.line}`,
    ]
      .filter((part) => part !== null)
      .join(', ');
    lines.push(`  - ${problem.code}${where === '' ? '' : ` [${where}]`}: ${problem.message}`);
  }
  return lines.join('\n');
}
