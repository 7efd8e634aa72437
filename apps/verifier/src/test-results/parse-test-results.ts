import type { Readable } from 'node:stream';
import { BomAwareDecoder } from './bom-aware-decoder';
import { FormatDispatcher } from './format-dispatcher';
import { DEFAULT_MAX_RESULT_FILE_BYTES, fileAccessError, openResultFile, tooLarge } from './open-result-file';
import type { ParseTestResultsOptions, TestResultsError, TestResultsOutcome } from './test-results.types';
import { XmlElementWalker } from './xml-element-walker';

export const DEFAULT_MAX_FAILURES = 50;
export const DEFAULT_MAX_DEPTH = 256;

/**
 * Reads a JUnit, NUnit 3 or NUnit 2.x result file (by path, or from a stream of bytes or
 * text) in one streaming pass and counts its test cases. Never throws for a bad file: a
 * missing, empty, non-XML, malformed, too deeply nested or unknown file comes back as a
 * `TestResultsError` (`ok: false`). A given stream is consumed and destroyed.
 *
 * @throws RangeError only for invalid options (a caller bug, not a file problem).
 */
export async function parseTestResults(
  input: string | Readable,
  options: ParseTestResultsOptions = {},
): Promise<TestResultsOutcome> {
  const maxFailures = checkedLimit('maxFailures', options.maxFailures ?? DEFAULT_MAX_FAILURES, 0);
  const maxDepth = checkedLimit('maxDepth', options.maxDepth ?? DEFAULT_MAX_DEPTH, 1);
  const maxBytes = checkedLimit('maxBytes', options.maxBytes ?? DEFAULT_MAX_RESULT_FILE_BYTES, 1);
  const source = typeof input === 'string' ? input : (options.sourceName ?? 'stream');
  let stream: Readable;
  if (typeof input === 'string') {
    const opened = await openResultFile(input, { maxBytes, within: options.within });
    if (!opened.ok) return opened;
    stream = opened.stream;
  } else {
    stream = input;
  }
  const dispatcher = new FormatDispatcher(source, maxFailures);
  const walker = new XmlElementWalker(dispatcher, { source, maxDepth });
  const decoder = new BomAwareDecoder();
  let read = 0;
  try {
    for await (const chunk of stream as AsyncIterable<unknown>) {
      const bytes = asBytesOrText(chunk);
      if (bytes === undefined) return notBytes(source);
      read += bytes.length;
      if (read > maxBytes) return tooLarge(source, maxBytes);
      const decoded = decoder.write(bytes);
      if (!decoded.ok) return encodingError(source, decoded.reason);
      walker.write(decoded.text);
      if (walker.error) return walker.error;
    }
  } catch (error: unknown) {
    return fileAccessError(source, error);
  } finally {
    stream.destroy();
  }
  const rest = decoder.end();
  if (!rest.ok) return encodingError(source, rest.reason);
  walker.write(rest.text);
  walker.close();
  if (walker.error) return walker.error;
  return (
    dispatcher.finish() ?? { ok: false, kind: 'empty', source, message: `${source} contains no root element` }
  );
}

function checkedLimit(name: string, value: number, minimum: number): number {
  if (!Number.isInteger(value) || value < minimum) {
    throw new RangeError(`parseTestResults: ${name} must be an integer >= ${minimum}, got ${value}`);
  }
  return value;
}

function asBytesOrText(chunk: unknown): Buffer | string | undefined {
  if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return undefined;
}

function encodingError(source: string, reason: string): TestResultsError {
  return { ok: false, kind: 'unsupported-encoding', source, message: `${source} cannot be read: ${reason}` };
}

function notBytes(source: string): TestResultsError {
  return {
    ok: false,
    kind: 'unreadable',
    source,
    message: `${source} yielded something other than bytes or text`,
  };
}
