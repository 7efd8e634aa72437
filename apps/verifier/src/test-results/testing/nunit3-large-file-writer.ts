import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface LargeNUnit3Shape {
  /** Independent namespace chains under the assembly suite. */
  branches: number;
  /** test-suite levels from the assembly down to the fixture, both included. */
  suiteDepth: number;
  casesPerFixture: number;
  /** Case numbers (0-based, across the whole file) that fail; the first listed one errors. */
  failingCases: readonly number[];
  /** Every n-th case is skipped (unless failing). */
  skipEvery: number;
}

export interface LargeNUnit3Expectation {
  total: number;
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  failingNames: string[];
}

/** The fully qualified name the writer gives to case number `index`. */
export function largeCaseName(shape: LargeNUnit3Shape, index: number): string {
  const branch = Math.floor(index / shape.casesPerFixture);
  const namespaces = Array.from({ length: shape.suiteDepth - 2 }, (_, level) => `Ns${branch}L${level + 1}`);
  return [...namespaces, `Fixture${branch}`, `Case${index}`].join('.');
}

/** What a correct parser must count in the file written for `shape`. */
export function largeFileExpectation(shape: LargeNUnit3Shape): LargeNUnit3Expectation {
  const total = shape.branches * shape.casesPerFixture;
  const failing = new Set(shape.failingCases);
  let skipped = 0;
  for (let index = 0; index < total; index += 1)
    if (!failing.has(index) && index % shape.skipEvery === 0) skipped += 1;
  return {
    total,
    passed: total - skipped - failing.size,
    failed: failing.size - 1,
    errored: 1,
    skipped,
    failingNames: [...shape.failingCases].sort((a, b) => a - b).map((index) => largeCaseName(shape, index)),
  };
}

/** Streams an NUnit 3 file of the given shape to `path`, never holding it whole in memory. */
export async function writeLargeNUnit3File(path: string, shape: LargeNUnit3Shape): Promise<void> {
  await pipeline(Readable.from(largeNUnit3Lines(shape)), createWriteStream(path));
}

function* largeNUnit3Lines(shape: LargeNUnit3Shape): Generator<string> {
  const expected = largeFileExpectation(shape);
  const failing = new Set(shape.failingCases);
  const erroring = shape.failingCases[0];
  yield '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n';
  yield `<test-run id="0" testcasecount="${expected.total}" result="Failed" total="${expected.total}" passed="${expected.passed}" failed="${expected.failed + expected.errored}" warnings="0" inconclusive="0" skipped="${expected.skipped}" asserts="${expected.total}" engine-version="3.16.3.0" duration="812.5">\n`;
  yield '<test-suite type="Assembly" id="0-1" name="Acme.Generated.Smoke.dll" fullname="/srv/smoke/Acme.Generated.Smoke.dll" result="Failed">\n';
  for (let branch = 0; branch < shape.branches; branch += 1) {
    const namespaces: string[] = [];
    for (let level = 1; level <= shape.suiteDepth - 2; level += 1) {
      namespaces.push(`Ns${branch}L${level}`);
      yield `${' '.repeat(level)}<test-suite type="TestSuite" name="Ns${branch}L${level}" fullname="${namespaces.join('.')}">\n`;
    }
    const fixture = `${namespaces.join('.')}.Fixture${branch}`;
    yield `<test-suite type="TestFixture" name="Fixture${branch}" fullname="${fixture}" classname="${fixture}">\n`;
    for (let offset = 0; offset < shape.casesPerFixture; offset += 1) {
      const index = branch * shape.casesPerFixture + offset;
      const attributes = `id="0-${index + 100}" name="Case${index}" fullname="${fixture}.Case${index}" methodname="Case${index}" classname="${fixture}" runstate="Runnable" seed="${(index * 7919) % 2147483647}" duration="0.040612" asserts="1"`;
      if (failing.has(index)) {
        const label = index === erroring ? ' label="Error"' : '';
        yield `<test-case ${attributes} result="Failed"${label}><failure><message><![CDATA[Case ${index} failed: expected 200 but was 503]]></message><stack-trace><![CDATA[   at ${fixture}.Case${index}() in /src/Generated.cs:line ${index}\n]]></stack-trace></failure></test-case>\n`;
      } else if (index % shape.skipEvery === 0) {
        yield `<test-case ${attributes} result="Skipped" label="Ignored"><reason><message><![CDATA[not on this server]]></message></reason></test-case>\n`;
      } else {
        yield `<test-case ${attributes} result="Passed" />\n`;
      }
    }
    yield '</test-suite>\n';
    for (let level = shape.suiteDepth - 2; level >= 1; level -= 1)
      yield `${' '.repeat(level)}</test-suite>\n`;
  }
  yield '</test-suite>\n</test-run>\n';
}
