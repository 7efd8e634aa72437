import { chown, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import type { CheckResult, smokeSuiteSchema } from '@conveyor/contracts';
import { parseTestResults, verdictFromResults, type TestResultsOutcome } from '../test-results';
import { formatSeconds } from './deadline';
import { runProcess, type ProcessOutcome } from './process-runner';
import { resolveResultFile } from './result-file-path';
import { clip, clipStart } from './result-text';
import { suiteEnvironment, type SuiteContext } from './suite-environment';
import type { SuiteIdentity } from './suite-identity';

export type SmokeSuiteSpec = z.infer<typeof smokeSuiteSchema>;

export interface CommandSuiteInput {
  suite: SmokeSuiteSpec;
  context: Omit<SuiteContext, 'suiteName' | 'workDir' | 'resultFile'>;
  /** Parent of the fresh working directory each run gets. */
  workRoot: string;
  signal: AbortSignal;
  /** The suite's own user (SMOKE_RUN_AS_*); the verifier's when absent. */
  runAs?: SuiteIdentity;
  /** Largest result file read (VERIFIER_RESULT_FILE_MAX_BYTES). */
  maxResultFileBytes?: number;
}

/**
 * Runs one smoke suite against one server: a `command` check (exit code, output tail) and,
 * when the suite names a result file, a `test-results` check from that file.
 */
export async function runCommandSuite(input: CommandSuiteInput): Promise<CheckResult[]> {
  const { suite, context } = input;
  const workDir = await mkdtemp(join(input.workRoot, 'conveyor-suite-'));
  try {
    // The suite's own user owns its working directory (mode 0700 from mkdtemp): nobody else's.
    if (input.runAs !== undefined) await chown(workDir, input.runAs.uid, input.runAs.gid);
    const where = suite.resultFile === undefined ? undefined : resolveResultFile(workDir, suite.resultFile);
    const resultFile = where?.ok ? where.path : undefined;
    const env = suiteEnvironment(process.env, {
      ...context,
      suiteName: suite.name,
      workDir,
      resultFile,
      ownUser: input.runAs !== undefined,
    });
    const outcome = await runProcess({
      command: suite.command,
      args: suite.args,
      cwd: workDir,
      env,
      timeoutMs: suite.timeoutSeconds * 1000,
      signal: input.signal,
      ...(input.runAs === undefined ? {} : { runAs: input.runAs }),
    });
    const results = [commandResult(suite, context.server.id, outcome)];
    if (where === undefined) return results;
    const base = {
      serverId: context.server.id,
      check: `smoke ${suite.name} results`,
      type: 'test-results' as const,
    };
    const expected = `${suite.resultFile} (JUnit or NUnit XML) with at least one test run and none failed`;
    if (!where.ok)
      return [
        ...results,
        { ...base, verdict: 'inconclusive', expected, actual: where.problem, durationMs: 0 },
      ];
    if (outcome.end.kind === 'not-started' || outcome.end.kind === 'stopped') {
      const actual = `not read: the suite ${outcome.end.kind === 'stopped' ? 'was stopped' : 'did not start'}`;
      return [...results, { ...base, verdict: 'inconclusive', expected, actual, durationMs: 0 }];
    }
    const readStarted = Date.now();
    const parsed = await parseTestResults(where.path, {
      maxFailures: 50,
      within: workDir,
      ...(input.maxResultFileBytes === undefined ? {} : { maxBytes: input.maxResultFileBytes }),
    });
    return [
      ...results,
      {
        ...base,
        expected,
        ...testResultsJudgement(parsed, suite.resultFile ?? ''),
        durationMs: Date.now() - readStarted,
      },
    ];
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

function commandResult(suite: SmokeSuiteSpec, serverId: string, outcome: ProcessOutcome): CheckResult {
  const commandLine = [suite.command, ...suite.args].join(' ');
  const base = {
    serverId,
    check: `smoke ${suite.name}`,
    type: 'command' as const,
    expected: clip(`\`${commandLine}\` exits 0 within ${suite.timeoutSeconds} s`, 2000),
    durationMs: outcome.durationMs,
  };
  const took = formatSeconds(outcome.durationMs);
  const withTail = (line: string): string =>
    clip(
      outcome.outputTail === ''
        ? `${line}; no output`
        : `${line}; output tail:\n${clipStart(outcome.outputTail, 6000)}`,
      8000,
    );
  const end = outcome.end;
  switch (end.kind) {
    case 'exited':
      return {
        ...base,
        verdict: end.code === 0 ? 'passed' : 'failed',
        actual: withTail(`exit code ${end.code} after ${took}`),
      };
    case 'signalled':
      return { ...base, verdict: 'failed', actual: withTail(`killed by ${end.signal} after ${took}`) };
    case 'timed-out':
      return {
        ...base,
        verdict: 'failed',
        actual: withTail(
          `still running after its timeout of ${suite.timeoutSeconds} s: process group killed`,
        ),
      };
    case 'stopped':
      return {
        ...base,
        verdict: 'inconclusive',
        actual: withTail(`stopped after ${took} (${end.why}): process group killed`),
      };
    case 'not-started':
      return { ...base, verdict: 'inconclusive', actual: `could not run: ${end.error}` };
  }
}

/** The result file's verdict, with totals and the failing tests' names and messages. */
export function testResultsJudgement(
  parsed: TestResultsOutcome,
  resultFile: string,
): Pick<CheckResult, 'verdict' | 'actual' | 'failedTests'> {
  const { verdict, reason } = verdictFromResults(parsed, { allowZeroTests: false });
  if (!parsed.ok) return { verdict, actual: clip(`${resultFile}: ${reason}`, 8000) };
  const t = parsed.totals;
  const totals = `${parsed.format}: ${t.total} tests, ${t.passed} passed, ${t.failed} failed, ${t.errored} errored, ${t.skipped} skipped, ${t.inconclusive} inconclusive`;
  const lines = parsed.failures.map(
    (f) =>
      `- ${f.name}: ${f.message
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .join(' ')}`,
  );
  const omitted = parsed.failuresOmitted > 0 ? [`…and ${parsed.failuresOmitted} more`] : [];
  const warnings = parsed.warnings.length > 0 ? [`warnings: ${parsed.warnings.join('; ')}`] : [];
  const actual = clip([`${reason} (${totals})`, ...lines, ...omitted, ...warnings].join('\n'), 8000);
  const failedTests = parsed.failures.map((f) => ({
    name: clip(f.name, 1000),
    message: clip(f.message, 2000),
  }));
  return failedTests.length > 0 ? { verdict, actual, failedTests } : { verdict, actual };
}
