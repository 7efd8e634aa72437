import type { ChainCursor } from '../chain/chain-cursor';
import type { ExportManifest } from '../export/export-manifest';
import type { ExportProblem } from './export-report';

/** Compares what was read from the export with what the manifest claims. */
export function compareWithManifest(
  manifest: ExportManifest,
  observed: ChainCursor,
  exportSha256: string,
): ExportProblem[] {
  const problems: ExportProblem[] = [];
  if (exportSha256 !== manifest.exportSha256) {
    problems.push({
      code: 'export-sha256-mismatch',
      message: `the export file's SHA-256 is ${exportSha256} but the manifest says ${manifest.exportSha256}: the file is not the one the manifest describes`,
    });
  }
  const claims: Array<[ExportProblem['code'], string, unknown, unknown]> = [
    ['count-mismatch', 'count', manifest.count, observed.count],
    ['first-seq-mismatch', 'firstSeq', manifest.firstSeq, observed.firstSeq],
    ['last-seq-mismatch', 'lastSeq', manifest.lastSeq, observed.lastSeq],
    ['first-prev-hash-mismatch', 'firstPrevHash', manifest.firstPrevHash, observed.firstPrevHash],
    ['head-hash-mismatch', 'headHash', manifest.headHash, observed.headHash],
  ];
  for (const [code, field, claimed, actual] of claims) {
    if (claimed !== actual) {
      problems.push({
        code,
        message: `manifest ${field} is ${String(claimed)} but the export has ${String(actual)}`,
      });
    }
  }
  return problems;
}

/** A contiguous export must contain the entry its checkpoint names, so the checkpoint can be checked. */
export function checkCheckpointCoverage(
  manifest: ExportManifest,
  contiguous: boolean,
  checkpointEntryMatched: boolean,
): ExportProblem[] {
  const checkpoint = manifest.checkpoint;
  if (checkpoint === null || checkpointEntryMatched || !contiguous) return [];
  return [
    {
      code: 'checkpoint-not-covered',
      seq: checkpoint.seq,
      message: `the manifest's checkpoint is at seq ${checkpoint.seq}, which this contiguous export (seq ${String(manifest.firstSeq)}..${String(manifest.lastSeq)}) does not contain, so the entries cannot be tied to it`,
    },
  ];
}
