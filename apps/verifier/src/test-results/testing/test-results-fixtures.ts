import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseTestResults } from '../parse-test-results';
import type {
  ParseTestResultsOptions,
  TestResults,
  TestResultsError,
  TestResultsOutcome,
} from '../test-results.types';

/** Absolute path of a file in `__fixtures__`. */
export function fixturePath(name: string): string {
  return join(__dirname, '..', '__fixtures__', name);
}

/** Parses XML given inline, fed as a stream in chunks of `chunkSize` characters. */
export function parseXmlText(
  xml: string,
  options: ParseTestResultsOptions & { chunkSize?: number } = {},
): Promise<TestResultsOutcome> {
  const size = options.chunkSize ?? 64 * 1024;
  const chunks: Buffer[] = [];
  const bytes = Buffer.from(xml, 'utf8');
  for (let offset = 0; offset < bytes.length; offset += size)
    chunks.push(bytes.subarray(offset, offset + size));
  return parseTestResults(Readable.from(chunks), { sourceName: 'inline.xml', ...options });
}

/** Fails the test with the error's message when parsing did not succeed. */
export function expectResults(outcome: TestResultsOutcome): TestResults {
  if (!outcome.ok) throw new Error(`expected results, got ${outcome.kind}: ${outcome.message}`);
  return outcome;
}

/** Fails the test when parsing succeeded. */
export function expectError(outcome: TestResultsOutcome): TestResultsError {
  if (outcome.ok)
    throw new Error(`expected an error, got ${outcome.format} results with ${outcome.totals.total} tests`);
  return outcome;
}
