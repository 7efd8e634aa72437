export {
  GENESIS_PREV_HASH,
  auditEntrySchema,
  newAuditEntrySchema,
  parseAuditEntry,
  parseNewAuditEntry,
} from './lib/entry/audit-entry';
export type {
  AuditEntry,
  NewAuditEntry,
  UnhashedEntry,
  HashedEntryFields,
  EntryParseResult,
} from './lib/entry/audit-entry';
export type { JsonValue } from './lib/entry/json-value';
export { canonicalJson } from './lib/entry/canonical-json';
export { hashEntry, entryPreimage, canonicalEntryBody } from './lib/chain/hash-entry';
export { appendBatch, InvalidAppendError } from './lib/chain/append-batch';
export type { ChainHead } from './lib/chain/append-batch';
export { advanceChain, EMPTY_CURSOR } from './lib/chain/chain-cursor';
export type { ChainCursor, ChainRules, ChainStep } from './lib/chain/chain-cursor';
export type { ChainFailure, ChainFailureReason } from './lib/chain/chain-failure';
export { verifyChain } from './lib/chain/verify-chain';
export type { ChainVerification, VerifyChainOptions } from './lib/chain/verify-chain';
export {
  signCheckpoint,
  verifyCheckpoint,
  checkpointSigningText,
  signedCheckpointSchema,
  CHECKPOINT_PURPOSE,
} from './lib/signing/checkpoint';
export type { Checkpoint, SignedCheckpoint, SignatureCheck } from './lib/signing/checkpoint';
export { signManifest, verifyManifestSignature, manifestSigningText } from './lib/signing/manifest-signature';
export { EXPORT_FORMATS } from './lib/export/export-format';
export type { ExportFormat } from './lib/export/export-format';
export { entryToNdjsonLine, parseNdjsonLine } from './lib/export/ndjson-format';
export { CSV_COLUMNS, csvHeaderRecord, entryToCsvRecord, csvFieldsToEntry } from './lib/export/csv-format';
export { CsvRecordParser } from './lib/export/csv-record-parser';
export type { CsvRecordEvent } from './lib/export/csv-record-parser';
export { createExportDecoder } from './lib/export/export-decoder';
export type { ExportDecoder, DecodedRecord } from './lib/export/export-decoder';
export { createEntryEncoder } from './lib/export/entry-encoder';
export type { EntryEncoder } from './lib/export/entry-encoder';
export { exportFiltersSchema, isContiguousExport, entryMatchesFilters } from './lib/export/export-filters';
export type { ExportFilters } from './lib/export/export-filters';
export {
  MANIFEST_SCHEMA,
  exportManifestSchema,
  unsignedManifestSchema,
  parseExportManifest,
} from './lib/export/export-manifest';
export type { ExportManifest, UnsignedManifest, ManifestSignature } from './lib/export/export-manifest';
export { writeExport, ExportWriteError } from './lib/export/write-export';
export type { ExportSummary } from './lib/export/write-export';
export { createSignedManifest } from './lib/export/build-manifest';
export type { ManifestInput } from './lib/export/build-manifest';
export { verifyExport } from './lib/verify/verify-export';
export type { VerifyExportInput } from './lib/verify/verify-export';
export { formatExportReport } from './lib/verify/export-report';
export { checkAgainstPublishedCheckpoint, parsePublishedCheckpoint } from './lib/verify/published-checkpoint';
export type {
  PublishedCheckpointEvidence,
  PublishedCheckpointParse,
} from './lib/verify/published-checkpoint';
export { checkpointFileName, checkpointFileText } from './lib/signing/checkpoint-file';
export type {
  ExportVerificationReport,
  ExportProblem,
  ExportProblemCode,
  ExportFigures,
  CheckpointCoverage,
} from './lib/verify/export-report';
