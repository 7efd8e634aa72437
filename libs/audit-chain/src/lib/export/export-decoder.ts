import type { EntryParseResult } from '../entry/audit-entry';
import { csvFieldsToEntry, CSV_COLUMNS, isCsvHeader } from './csv-format';
import { CsvRecordParser, type CsvRecordEvent } from './csv-record-parser';
import type { ExportFormat } from './export-format';
import { LineSplitter, type TextLine } from './line-splitter';
import { parseNdjsonLine } from './ndjson-format';

/** One data record of an export, parsed; `line` is where it starts in the file (1-based). */
export interface DecodedRecord {
  readonly line: number;
  readonly result: EntryParseResult;
}

/** Turns decoded export text, chunk by chunk, into entries (CSV header checked and skipped). */
export interface ExportDecoder {
  push(chunk: string): DecodedRecord[];
  end(): DecodedRecord[];
}

class NdjsonDecoder implements ExportDecoder {
  private readonly splitter = new LineSplitter();

  push(chunk: string): DecodedRecord[] {
    return this.splitter.push(chunk).map(decodeLine);
  }

  end(): DecodedRecord[] {
    return this.splitter.end().map(decodeLine);
  }
}

function decodeLine(line: TextLine): DecodedRecord {
  return { line: line.line, result: parseNdjsonLine(line.text) };
}

class CsvDecoder implements ExportDecoder {
  private readonly parser = new CsvRecordParser();
  private headerSeen = false;

  push(chunk: string): DecodedRecord[] {
    return this.decode(this.parser.push(chunk));
  }

  end(): DecodedRecord[] {
    const records = this.decode(this.parser.end());
    if (!this.headerSeen)
      records.push({
        line: 1,
        result: {
          ok: false,
          message: `CSV header missing: the file must start with ${CSV_COLUMNS.join(',')}`,
        },
      });
    return records;
  }

  private decode(events: CsvRecordEvent[]): DecodedRecord[] {
    const records: DecodedRecord[] = [];
    for (const event of events) {
      if (event.kind === 'error') {
        records.push({
          line: event.line,
          result: { ok: false, message: `CSV syntax error: ${event.message}` },
        });
      } else if (!this.headerSeen) {
        this.headerSeen = true;
        if (!isCsvHeader(event.fields)) {
          records.push({
            line: event.line,
            result: {
              ok: false,
              message: `CSV header is "${event.fields.join(',')}", expected "${CSV_COLUMNS.join(',')}"`,
            },
          });
        }
      } else {
        records.push({ line: event.line, result: csvFieldsToEntry(event.fields) });
      }
    }
    return records;
  }
}

export function createExportDecoder(format: ExportFormat): ExportDecoder {
  switch (format) {
    case 'ndjson':
      return new NdjsonDecoder();
    case 'csv':
      return new CsvDecoder();
  }
}
