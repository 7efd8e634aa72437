import { SaxesParser } from 'saxes';
import type { TestResultsError } from './test-results.types';

/** What a format collector sees of the document: elements, their attributes and their text. */
export interface XmlElementVisitor {
  /** `depth` is 1 for the root element. Returning an error stops the walk with it. */
  open(
    name: string,
    attributes: Readonly<Record<string, string>>,
    depth: number,
  ): TestResultsError | undefined;
  /** Text and CDATA content, in pieces, with entities already decoded. */
  text(content: string): void;
  close(name: string, depth: number): void;
}

export interface XmlElementWalkerOptions {
  source: string;
  maxDepth: number;
}

/**
 * Feeds string chunks to saxes and forwards element events to a visitor. Stops at the
 * first problem and keeps it as a typed error: malformed XML (with saxes' line and
 * column), a DOCTYPE (refused, so no entity is ever declared, let alone expanded), or
 * nesting deeper than `maxDepth`. Holds no document content itself.
 */
export class XmlElementWalker {
  private readonly parser = new SaxesParser();
  private depth = 0;
  private sawContent = false;
  private failure: TestResultsError | undefined;

  constructor(
    private readonly visitor: XmlElementVisitor,
    private readonly options: XmlElementWalkerOptions,
  ) {
    this.parser.on('error', (error) => this.fail('malformed-xml', stripSaxesPosition(error.message)));
    this.parser.on('doctype', () =>
      this.fail(
        'doctype-refused',
        'a DOCTYPE declaration is not accepted in a test result file (entity declarations are refused, never expanded)',
      ),
    );
    this.parser.on('opentag', (tag) => {
      if (this.failure) return;
      this.depth += 1;
      if (this.depth > this.options.maxDepth) {
        this.fail('too-deep', `element <${tag.name}> is nested deeper than ${this.options.maxDepth} levels`);
        return;
      }
      const refused = this.visitor.open(tag.name, tag.attributes, this.depth);
      if (refused) this.failure = refused;
    });
    this.parser.on('closetag', (tag) => {
      if (this.failure) return;
      this.visitor.close(tag.name, this.depth);
      this.depth -= 1;
    });
    this.parser.on('text', (text) => {
      if (!this.failure) this.visitor.text(text);
    });
    this.parser.on('cdata', (cdata) => {
      if (!this.failure) this.visitor.text(cdata);
    });
  }

  /** The first problem met, if any; once set, further input is ignored. */
  get error(): TestResultsError | undefined {
    return this.failure;
  }

  write(chunk: string): void {
    if (this.failure || chunk.length === 0) return;
    if (!this.sawContent) {
      const firstIndex = chunk.search(/[^\s\uFEFF]/);
      if (firstIndex === -1) return;
      this.sawContent = true;
      if (chunk[firstIndex] !== '<') {
        this.failure = {
          ok: false,
          kind: 'not-xml',
          source: this.options.source,
          message: `${this.options.source} is not XML: it starts with ${describeStart(chunk.slice(firstIndex))} instead of "<"`,
        };
        return;
      }
    }
    this.parser.write(chunk);
  }

  /** Ends the document; reports `empty` when nothing but whitespace was written. */
  close(): void {
    if (this.failure) return;
    if (!this.sawContent) {
      this.failure = {
        ok: false,
        kind: 'empty',
        source: this.options.source,
        message: `${this.options.source} is empty: a result file must contain a root element`,
      };
      return;
    }
    this.parser.close();
  }

  private fail(kind: 'malformed-xml' | 'doctype-refused' | 'too-deep', detail: string): void {
    if (this.failure) return;
    const { line, column } = this.parser;
    const what = kind === 'malformed-xml' ? 'Malformed XML in ' : '';
    this.failure = {
      ok: false,
      kind,
      source: this.options.source,
      line,
      column,
      message: `${what}${this.options.source} at line ${line}, column ${column}: ${detail}`,
    };
  }
}

function stripSaxesPosition(message: string): string {
  return message.replace(/^\d+:\d+: /, '');
}

function describeStart(text: string): string {
  const sample = text.slice(0, 20).replace(/[^\x20-\x7e]/g, '?');
  return JSON.stringify(sample);
}
