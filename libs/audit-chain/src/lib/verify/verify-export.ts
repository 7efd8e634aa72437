import { errorMessage } from '@conveyor/errors';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { createExportDecoder, type DecodedRecord } from '../export/export-decoder';
import { isContiguousExport } from '../export/export-filters';
import { parseExportManifest, type ExportManifest } from '../export/export-manifest';
import { verifyCheckpoint, type SignedCheckpoint } from '../signing/checkpoint';
import { verifyManifestSignature } from '../signing/manifest-signature';
import { keyIdOf, SigningKeyError } from '@conveyor/signing-keys';
import { ExportEntryChecker } from './export-entry-checker';
import type { ExportFigures, ExportProblem, ExportVerificationReport } from './export-report';
import { checkCheckpointCoverage, compareWithManifest } from './manifest-checks';
import { checkAgainstPublishedCheckpoint, parsePublishedCheckpoint } from './published-checkpoint';

export interface VerifyExportInput {
  readonly exportPath: string;
  readonly manifestPath: string;
  readonly publicKeyPem: string;
  /**
   * A checkpoint published outside the database earlier (a file of AUDIT_CHECKPOINT_DIR): the
   * export must reach it with the same hash, or the report names a truncated tail or a rewrite.
   */
  readonly publishedCheckpointPath?: string;
}

const READ_CHUNK_BYTES = 1024 * 1024;

const NO_FIGURES: ExportFigures = {
  format: null,
  mode: null,
  count: 0,
  firstSeq: null,
  lastSeq: null,
  headHash: null,
  exportSha256: null,
  keyId: null,
  checkpoint: null,
};

function failed(problems: ExportProblem[], figures: ExportFigures): ExportVerificationReport {
  const firstBadSeq = problems.find((problem) => typeof problem.seq === 'number')?.seq ?? null;
  return { ok: false, firstBadSeq, problems, ...figures };
}

function describe(error: unknown): string {
  return errorMessage(error);
}

function checkSignatures(manifest: ExportManifest, publicKeyPem: string): ExportProblem[] {
  const problems: ExportProblem[] = [];
  const manifestCheck = verifyManifestSignature(manifest, publicKeyPem);
  if (!manifestCheck.ok)
    problems.push({ code: 'manifest-signature-invalid', message: manifestCheck.message });
  if (manifest.checkpoint !== null) {
    const checkpointCheck = verifyCheckpoint(manifest.checkpoint, publicKeyPem);
    if (!checkpointCheck.ok)
      problems.push({
        code: 'checkpoint-signature-invalid',
        seq: manifest.checkpoint.seq,
        message: checkpointCheck.message,
      });
  }
  return problems;
}

/** Reads the export once, hashing its bytes and checking every record as it goes (constant memory). */
async function scanExport(
  exportPath: string,
  checker: ExportEntryChecker,
  manifest: ExportManifest,
): Promise<string> {
  const digest = createHash('sha256');
  const text = new StringDecoder('utf8');
  const decoder = createExportDecoder(manifest.format);
  const checkAll = (records: DecodedRecord[]): void => {
    for (const record of records) checker.check(record);
  };
  for await (const chunk of createReadStream(exportPath, { highWaterMark: READ_CHUNK_BYTES })) {
    const bytes = chunk as Buffer;
    digest.update(bytes);
    checkAll(decoder.push(text.write(bytes)));
  }
  checkAll(decoder.push(text.end()));
  checkAll(decoder.end());
  return digest.digest('hex');
}

/**
 * Verifies an export offline with only the audit service's public key: manifest and checkpoint
 * signatures, the export file's SHA-256, every entry's hash, the chain links (contiguous exports),
 * the filters (filtered exports), the manifest's figures and the checkpoint against the entries.
 * Never throws for a bad input; the report names the first bad seq and every problem found.
 */
export async function verifyExport(input: VerifyExportInput): Promise<ExportVerificationReport> {
  let keyId: string;
  try {
    keyId = keyIdOf(input.publicKeyPem);
  } catch (error) {
    const message = error instanceof SigningKeyError ? error.message : describe(error);
    return failed([{ code: 'public-key-invalid', message }], NO_FIGURES);
  }
  let manifestText: string;
  try {
    manifestText = await readFile(input.manifestPath, 'utf8');
  } catch (error) {
    return failed([{ code: 'manifest-invalid', message: `cannot read the manifest: ${describe(error)}` }], {
      ...NO_FIGURES,
      keyId,
    });
  }
  const parsed = parseExportManifest(manifestText);
  if (!parsed.ok)
    return failed([{ code: 'manifest-invalid', message: parsed.message }], { ...NO_FIGURES, keyId });
  const manifest = parsed.manifest;

  let published: SignedCheckpoint | null = null;
  if (input.publishedCheckpointPath !== undefined) {
    let text: string;
    try {
      text = await readFile(input.publishedCheckpointPath, 'utf8');
    } catch (error) {
      return failed(
        [
          {
            code: 'published-checkpoint-invalid',
            message: `cannot read the published checkpoint: ${describe(error)}`,
          },
        ],
        { ...NO_FIGURES, keyId },
      );
    }
    const parsedCheckpoint = parsePublishedCheckpoint(text, input.publicKeyPem);
    if (!parsedCheckpoint.ok) return failed([parsedCheckpoint.problem], { ...NO_FIGURES, keyId });
    published = parsedCheckpoint.checkpoint;
  }

  const contiguous = isContiguousExport(manifest.filters);
  const checker = new ExportEntryChecker(manifest, published?.seq ?? null);
  let exportSha256: string | null = null;
  const problems: ExportProblem[] = [];
  try {
    exportSha256 = await scanExport(input.exportPath, checker, manifest);
  } catch (error) {
    problems.push({ code: 'export-unreadable', message: `cannot read the export: ${describe(error)}` });
  }
  const entryProblem = checker.firstProblem;
  if (entryProblem !== null) problems.push(entryProblem);
  problems.push(...checkSignatures(manifest, input.publicKeyPem));
  if (exportSha256 !== null && entryProblem === null) {
    problems.push(...compareWithManifest(manifest, checker.verified, exportSha256));
    problems.push(...checkCheckpointCoverage(manifest, contiguous, checker.checkpointEntryMatched));
    if (published !== null)
      problems.push(
        ...checkAgainstPublishedCheckpoint(published, {
          manifest,
          contiguous,
          lastSeq: checker.verified.lastSeq,
          hashAtCheckpoint: checker.hashAtPublishedCheckpoint,
        }),
      );
  } else if (exportSha256 !== null && exportSha256 !== manifest.exportSha256) {
    problems.push(
      ...compareWithManifest(manifest, checker.verified, exportSha256).filter(
        (problem) => problem.code === 'export-sha256-mismatch',
      ),
    );
  }

  const verified = checker.verified;
  const checkpoint = manifest.checkpoint;
  const figures: ExportFigures = {
    format: manifest.format,
    mode: contiguous ? 'contiguous' : 'subset',
    count: verified.count,
    firstSeq: verified.firstSeq,
    lastSeq: verified.lastSeq,
    headHash: verified.headHash,
    exportSha256,
    keyId,
    checkpoint:
      checkpoint === null
        ? null
        : {
            seq: checkpoint.seq,
            headHash: checkpoint.headHash,
            time: checkpoint.time,
            coverage: checker.checkpointEntryMatched ? 'entry-matches' : 'not-in-export',
          },
  };
  return problems.length === 0 ? { ok: true, ...figures } : failed(problems, figures);
}
