import { parseTestResults } from './parse-test-results';
import { expectResults, fixturePath, parseXmlText } from './testing/test-results-fixtures';

describe('JUnit result files', () => {
  it('reads a surefire report with exactly two failures, naming both with their messages', async () => {
    const results = expectResults(await parseTestResults(fixturePath('junit-surefire-two-failures.xml')));

    expect(results.format).toBe('junit');
    expect(results.totals).toEqual({
      total: 7,
      passed: 4,
      failed: 2,
      errored: 0,
      skipped: 1,
      inconclusive: 0,
    });
    expect(results.failures.map(({ name, outcome, message }) => ({ name, outcome, message }))).toEqual([
      {
        name: 'com.acme.checkout.smoke.CheckoutSmokeTest.cartCanBeCreated',
        outcome: 'failed',
        message: 'expected: <201> but was: <503>',
      },
      {
        name: 'com.acme.checkout.smoke.CheckoutSmokeTest.paymentProviderIsReachable',
        outcome: 'failed',
        message: 'Timed out after 2000 ms waiting for https://psp.example.net/ping',
      },
    ]);
    expect(results.failuresOmitted).toBe(0);
    expect(results.durationSeconds).toBeCloseTo(4.217);
    expect(results.warnings).toEqual([]);
  });

  it('keeps the end of the stack trace, not the system-out of the test', async () => {
    const results = expectResults(await parseTestResults(fixturePath('junit-surefire-two-failures.xml')));
    const tail = results.failures[0]!.stackTraceTail!;

    expect(tail.split('\n').at(-1)).toContain(
      'CheckoutSmokeTest.cartCanBeCreated(CheckoutSmokeTest.java:58)',
    );
    expect(tail).not.toContain('POST /api/carts');
  });

  it('reads a jest-junit report without repeating the describe block in test names', async () => {
    const results = expectResults(await parseTestResults(fixturePath('junit-jest-junit-passing.xml')));

    expect(results.totals).toEqual({
      total: 5,
      passed: 4,
      failed: 0,
      errored: 0,
      skipped: 1,
      inconclusive: 0,
    });
    expect(results.failures).toEqual([]);
    expect(results.durationSeconds).toBeCloseTo(1.842);
    expect(results.warnings).toEqual([]);
  });

  it('counts an <error> as errored, sums top-level suite times, and warns when declared totals disagree', async () => {
    const results = expectResults(await parseTestResults(fixturePath('junit-gradle-declared-mismatch.xml')));

    expect(results.totals).toEqual({
      total: 5,
      passed: 4,
      failed: 0,
      errored: 1,
      skipped: 0,
      inconclusive: 0,
    });
    expect(results.failures).toEqual([
      expect.objectContaining({
        name: 'com.acme.orders.OrdersSmokeTest.orderEventsArePublished',
        outcome: 'errored',
        message: 'java.net.ConnectException: Connection refused (rabbitmq.internal:5672)',
      }),
    ]);
    expect(results.durationSeconds).toBeCloseTo(1.3);
    expect(results.warnings).toEqual([
      '<testsuites> declares tests="4" but the file contains 5 test cases; the counted figure is used',
      '<testsuites> declares errors="0" but the file contains 1 errored test cases; the counted figure is used',
    ]);
  });

  it('reads a file with zero tests as zero, not as an error', async () => {
    const results = expectResults(await parseTestResults(fixturePath('junit-zero-tests.xml')));

    expect(results.totals.total).toBe(0);
    expect(results.failures).toEqual([]);
  });

  it('qualifies test names with nested suite names and lets an error outrank a failure', async () => {
    const xml = `<testsuites>
      <testsuite name="integration">
        <testsuite name="payments">
          <testcase name="refund"><failure message="first"/><error message="boom"/></testcase>
        </testsuite>
        <testcase name="ping"><skipped/></testcase>
      </testsuite>
    </testsuites>`;
    const results = expectResults(await parseXmlText(xml));

    expect(results.totals).toEqual({
      total: 2,
      passed: 0,
      failed: 0,
      errored: 1,
      skipped: 1,
      inconclusive: 0,
    });
    expect(results.failures).toEqual([
      { name: 'integration.payments.refund', outcome: 'errored', message: 'boom' },
    ]);
  });

  it('falls back to the exception type when a failure has neither message nor body', async () => {
    const xml =
      '<testsuite name="s"><testcase classname="C" name="t"><failure type="java.lang.AssertionError"/></testcase></testsuite>';
    const results = expectResults(await parseXmlText(xml));

    expect(results.failures[0]!.message).toBe('java.lang.AssertionError');
  });

  it('caps the failure list at maxFailures and counts the rest', async () => {
    const cases = Array.from(
      { length: 7 },
      (_, i) => `<testcase classname="C" name="t${i}"><failure message="m${i}"/></testcase>`,
    );
    const results = expectResults(
      await parseXmlText(`<testsuite name="S">${cases.join('')}</testsuite>`, { maxFailures: 3 }),
    );

    expect(results.totals.failed).toBe(7);
    expect(results.failures.map((failure) => failure.name)).toEqual(['S.C.t0', 'S.C.t1', 'S.C.t2']);
    expect(results.failuresOmitted).toBe(4);
  });

  it('caps a huge failure message', async () => {
    const xml = `<testsuite name="S"><testcase name="t"><failure message="${'x'.repeat(10_000)}"/></testcase></testsuite>`;
    const results = expectResults(await parseXmlText(xml));

    expect(results.failures[0]!.message.length).toBeLessThanOrEqual(2001);
    expect(results.failures[0]!.message.endsWith('…')).toBe(true);
  });
});
