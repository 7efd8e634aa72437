import type { CheckResult } from '@conveyor/contracts';
import { overallVerdict } from './overall-verdict';

const check = (
  serverId: string,
  verdict: CheckResult['verdict'],
  actual = `${verdict} detail`,
): CheckResult => ({
  serverId,
  check: 'http /health',
  type: 'http',
  verdict,
  expected: 'GET /health → 200',
  actual,
  durationMs: 5,
});

describe('the overall verdict', () => {
  it('passes when every check passed', () => {
    expect(
      overallVerdict([check('s1', 'passed'), check('s2', 'passed')], { allowInconclusive: false }),
    ).toEqual({
      passed: true,
      reason: '',
      summary: 'all 2 checks passed',
      inconclusiveAccepted: 0,
    });
  });

  it('fails when no check ran: no data is not a pass', () => {
    const verdict = overallVerdict([], { allowInconclusive: true });
    expect(verdict.passed).toBe(false);
    expect(verdict.reason).toBe('no check ran: no data is not a pass');
  });

  it('fails on any failed check, naming the server and what came back', () => {
    const verdict = overallVerdict(
      [check('s1', 'passed'), check('s2', 'failed', 'answered 500, expected 200')],
      { allowInconclusive: true },
    );
    expect(verdict.passed).toBe(false);
    expect(verdict.reason).toBe('1 check(s) failed: s2 http /health (answered 500, expected 200)');
    expect(verdict.summary).toContain('1 of 2 checks passed, 1 failed, 0 inconclusive');
  });

  it('fails on an inconclusive check unless the manifest allows it', () => {
    const results = [check('s1', 'passed'), check('s2', 'inconclusive', 'No tests ran')];
    const strict = overallVerdict(results, { allowInconclusive: false });
    expect(strict.passed).toBe(false);
    expect(strict.reason).toContain('inconclusive and allowInconclusive is off: s2');
  });

  it('says so when it lets inconclusive checks through', () => {
    const lenient = overallVerdict([check('s1', 'passed'), check('s2', 'inconclusive', 'No tests ran')], {
      allowInconclusive: true,
    });
    expect(lenient.passed).toBe(true);
    expect(lenient.inconclusiveAccepted).toBe(1);
    expect(lenient.summary).toContain(
      'accepted because the manifest sets allowInconclusive: s2 http /health (No tests ran)',
    );
  });

  it('fails a verification stopped by its deadline or cancelled, whatever had passed', () => {
    const passed = [check('s1', 'passed')];
    expect(
      overallVerdict(passed, { allowInconclusive: true, stopped: { kind: 'deadline', seconds: 30 } }).reason,
    ).toBe("the verification's deadline of 30 s passed before every check finished");
    const cancelled = overallVerdict(passed, {
      allowInconclusive: true,
      stopped: { kind: 'cancelled', why: 'deployment d was aborted: operator' },
    });
    expect(cancelled).toMatchObject({
      passed: false,
      reason: 'cancelled: deployment d was aborted: operator',
    });
  });

  it('names at most five failures and counts the rest', () => {
    const many = Array.from({ length: 7 }, (_, i) => check(`s${i + 1}`, 'failed'));
    expect(overallVerdict(many, { allowInconclusive: false }).reason).toMatch(
      /s5 http \/health \(failed detail\) and 2 more$/,
    );
  });
});
