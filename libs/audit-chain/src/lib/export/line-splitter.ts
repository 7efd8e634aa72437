export interface TextLine {
  /** 1-based line number. */
  readonly line: number;
  /** The line without its "\n" (or "\r\n"). */
  readonly text: string;
}

/** Incremental line splitter for NDJSON: feed text chunks, get complete lines. */
export class LineSplitter {
  private remainder = '';
  private line = 0;

  push(chunk: string): TextLine[] {
    const lines: TextLine[] = [];
    const text = this.remainder + chunk;
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      lines.push(this.next(text.slice(start, end)));
      start = end + 1;
    }
    this.remainder = text.slice(start);
    return lines;
  }

  /** The last line if the text did not end with a line break. */
  end(): TextLine[] {
    const rest = this.remainder;
    this.remainder = '';
    return rest === '' ? [] : [this.next(rest)];
  }

  private next(raw: string): TextLine {
    this.line += 1;
    return { line: this.line, text: raw.endsWith('\r') ? raw.slice(0, -1) : raw };
  }
}
