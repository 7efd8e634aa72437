import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTestResults } from './parse-test-results';
import {
  largeCaseName,
  largeFileExpectation,
  type LargeNUnit3Shape,
  writeLargeNUnit3File,
} from './testing/nunit3-large-file-writer';
import { verdictFromResults } from './verdict-from-results';

describe('parseTestResults on a large, deeply nested NUnit 3 file on disk', () => {
  const shape: LargeNUnit3Shape = {
    branches: 20,
    suiteDepth: 30,
    casesPerFixture: 1000,
    failingCases: [12_345, 7, 19_999],
    skipEvery: 97,
  };
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'verifier-results-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts 20,000 test cases nested 30 suites deep and names the failing ones', async () => {
    const path = join(dir, 'TestResult.xml');
    await writeLargeNUnit3File(path, shape);
    const expected = largeFileExpectation(shape);
    expect(expected.total).toBe(20_000);
    expect(statSync(path).size).toBeGreaterThan(5_000_000);

    const outcome = await parseTestResults(path, { maxFailures: 10 });

    if (!outcome.ok) throw new Error(`parse failed: ${outcome.message}`);
    expect(outcome.format).toBe('nunit3');
    expect(outcome.totals).toEqual({
      total: 20_000,
      passed: expected.passed,
      failed: 2,
      errored: 1,
      skipped: expected.skipped,
      inconclusive: 0,
    });
    expect(outcome.warnings).toEqual([]);
    expect(outcome.durationSeconds).toBeCloseTo(812.5);
    expect(outcome.failures.map((failure) => failure.name)).toEqual(expected.failingNames);
    expect(outcome.failures.find((failure) => failure.outcome === 'errored')?.name).toBe(
      largeCaseName(shape, 12_345),
    );
    expect(outcome.failures[0]!.message).toBe('Case 7 failed: expected 200 but was 503');
    expect(outcome.failures[0]!.name.split('.')).toHaveLength(30);

    const verdict = verdictFromResults(outcome);
    expect(verdict.verdict).toBe('failed');
    expect(verdict.failedTests).toEqual(expected.failingNames);
  });

  it('refuses the same file when the depth bound is below its nesting', async () => {
    const path = join(dir, 'Deep.xml');
    await writeLargeNUnit3File(path, { ...shape, branches: 1 });

    const outcome = await parseTestResults(path, { maxDepth: 20 });

    expect(outcome).toMatchObject({ ok: false, kind: 'too-deep', line: 22 });
  });
});
