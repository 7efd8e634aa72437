/** A record or a syntax error found while reading CSV text; `line` is the physical line where it starts. */
export type CsvRecordEvent =
  | { kind: 'record'; line: number; fields: string[] }
  | { kind: 'error'; line: number; message: string };

type RecordOutcome =
  | { kind: 'record'; fields: string[]; next: number; newlines: number }
  | { kind: 'incomplete' }
  | { kind: 'error'; message: string; newlines: number };

const QUOTE = 0x22;
const UNQUOTED_FIELD_END = /[,\r\n"]/g;
const INCOMPLETE: RecordOutcome = { kind: 'incomplete' };

function countLineFeeds(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count += 1;
  return count;
}

/** Parses the record starting at `start`, or says it needs more input (unless `final`). */
function parseRecordAt(text: string, start: number, final: boolean): RecordOutcome {
  const fields: string[] = [];
  let newlines = 0;
  let at = start;
  for (;;) {
    if (text.charCodeAt(at) === QUOTE) {
      const parts: string[] = [];
      let from = at + 1;
      for (;;) {
        const quote = text.indexOf('"', from);
        if (quote === -1)
          return final ? { kind: 'error', message: 'quoted field is never closed', newlines } : INCOMPLETE;
        parts.push(text.slice(from, quote));
        if (quote + 1 >= text.length && !final) return INCOMPLETE;
        if (text.charCodeAt(quote + 1) === QUOTE) {
          parts.push('"');
          from = quote + 2;
          continue;
        }
        at = quote + 1;
        break;
      }
      const value = parts.join('');
      newlines += countLineFeeds(value);
      fields.push(value);
    } else {
      UNQUOTED_FIELD_END.lastIndex = at;
      const match = UNQUOTED_FIELD_END.exec(text);
      if (match === null) {
        if (!final) return INCOMPLETE;
        fields.push(text.slice(at));
        at = text.length;
      } else {
        if (match[0] === '"')
          return {
            kind: 'error',
            message: 'a quote inside an unquoted field (RFC 4180 requires the field to be quoted)',
            newlines,
          };
        fields.push(text.slice(at, match.index));
        at = match.index;
      }
    }
    if (at >= text.length) return final ? { kind: 'record', fields, next: at, newlines } : INCOMPLETE;
    const delimiter = text[at];
    if (delimiter === ',') {
      at += 1;
      continue;
    }
    if (delimiter === '\n') return { kind: 'record', fields, next: at + 1, newlines: newlines + 1 };
    if (delimiter === '\r') {
      if (at + 1 >= text.length)
        return final ? { kind: 'record', fields, next: at + 1, newlines } : INCOMPLETE;
      if (text[at + 1] === '\n') return { kind: 'record', fields, next: at + 2, newlines: newlines + 1 };
      return {
        kind: 'error',
        message: 'a carriage return not followed by a line feed outside quotes',
        newlines,
      };
    }
    return {
      kind: 'error',
      message: `unexpected ${JSON.stringify(delimiter)} after a closing quote (expected a comma or a line break)`,
      newlines,
    };
  }
}

/**
 * Incremental RFC 4180 parser: feed decoded text in chunks of any size (a record, a quoted field
 * or a "" escape may be split across chunks); it returns complete records as they are found.
 * Accepts CRLF or LF record ends. After a syntax error it reports nothing more.
 */
export class CsvRecordParser {
  private buffer = '';
  private line = 1;
  private failed = false;

  push(chunk: string): CsvRecordEvent[] {
    this.buffer += chunk;
    return this.drain(false);
  }

  end(): CsvRecordEvent[] {
    return this.drain(true);
  }

  private drain(final: boolean): CsvRecordEvent[] {
    const events: CsvRecordEvent[] = [];
    if (this.failed) {
      this.buffer = '';
      return events;
    }
    let position = 0;
    while (position < this.buffer.length) {
      const outcome = parseRecordAt(this.buffer, position, final);
      if (outcome.kind === 'incomplete') break;
      if (outcome.kind === 'error') {
        events.push({ kind: 'error', line: this.line + outcome.newlines, message: outcome.message });
        this.failed = true;
        this.buffer = '';
        return events;
      }
      events.push({ kind: 'record', line: this.line, fields: outcome.fields });
      this.line += outcome.newlines;
      position = outcome.next;
    }
    this.buffer = this.buffer.slice(position);
    return events;
  }
}
