import type { AuditEntry } from '../entry/audit-entry';
import { csvHeaderRecord, entryToCsvRecord } from './csv-format';
import type { ExportFormat } from './export-format';
import { entryToNdjsonLine } from './ndjson-format';

export interface EntryEncoder {
  /** Text that starts the file (the CSV header), possibly empty. */
  readonly preamble: string;
  encode(entry: AuditEntry): string;
}

export function createEntryEncoder(format: ExportFormat): EntryEncoder {
  switch (format) {
    case 'ndjson':
      return { preamble: '', encode: entryToNdjsonLine };
    case 'csv':
      return { preamble: csvHeaderRecord(), encode: entryToCsvRecord };
  }
}
