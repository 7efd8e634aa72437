import {
  advanceChain,
  EMPTY_CURSOR,
  expectedNextSeq,
  type ChainCursor,
  type ChainRules,
} from '../chain/chain-cursor';
import type { DecodedRecord } from '../export/export-decoder';
import { entryMatchesFilters, isContiguousExport } from '../export/export-filters';
import type { ExportManifest } from '../export/export-manifest';
import type { ExportProblem } from './export-report';

/**
 * Checks the records of an export one after the other against the chain rules, the manifest's
 * filters and its checkpoint. Remembers the first problem and ignores everything after it
 * (once one entry is wrong, later links prove nothing).
 */
export class ExportEntryChecker {
  private cursor: ChainCursor = EMPTY_CURSOR;
  private problem: ExportProblem | null = null;
  private checkpointMatched = false;
  private publishedHash: string | null = null;
  readonly rules: ChainRules;

  /** `publishedSeq`: the seq of a checkpoint published outside the database, whose entry's hash is kept. */
  constructor(
    private readonly manifest: ExportManifest,
    private readonly publishedSeq: number | null = null,
  ) {
    const contiguous = isContiguousExport(manifest.filters);
    this.rules = contiguous
      ? { linkage: 'contiguous', expectedFirstSeq: manifest.filters.fromSeq }
      : { linkage: 'subset' };
  }

  get firstProblem(): ExportProblem | null {
    return this.problem;
  }

  get verified(): ChainCursor {
    return this.cursor;
  }

  /** Hash of the verified entry at the published checkpoint's seq, or null when none was exported. */
  get hashAtPublishedCheckpoint(): string | null {
    return this.publishedHash;
  }

  get checkpointEntryMatched(): boolean {
    return this.checkpointMatched;
  }

  check(record: DecodedRecord): void {
    if (this.problem !== null) return;
    if (!record.result.ok) {
      this.problem = {
        code: 'malformed-entry',
        seq: expectedNextSeq(this.cursor, this.rules),
        line: record.line,
        message: record.result.message,
      };
      return;
    }
    const entry = record.result.entry;
    const step = advanceChain(this.cursor, entry, this.rules);
    if (!step.ok) {
      this.problem = {
        code: step.failure.reason,
        seq: step.failure.seq,
        line: record.line,
        message: step.failure.message,
      };
      return;
    }
    if (!entryMatchesFilters(entry, this.manifest.filters)) {
      this.problem = {
        code: 'entry-outside-filters',
        seq: entry.seq,
        line: record.line,
        message: `entry ${entry.seq} does not match the export's filters ${JSON.stringify(this.manifest.filters)}`,
      };
      return;
    }
    const checkpoint = this.manifest.checkpoint;
    if (checkpoint !== null && entry.seq === checkpoint.seq) {
      if (entry.hash !== checkpoint.headHash) {
        this.problem = {
          code: 'checkpoint-mismatch',
          seq: entry.seq,
          line: record.line,
          message: `the signed checkpoint says entry ${checkpoint.seq} has hash ${checkpoint.headHash}, but the exported entry has ${entry.hash}: the chain was rewritten after the checkpoint was signed`,
        };
        return;
      }
      this.checkpointMatched = true;
    }
    if (entry.seq === this.publishedSeq) this.publishedHash = entry.hash;
    this.cursor = step.cursor;
  }
}
