import { parseTestResults } from './parse-test-results';
import { expectResults, fixturePath, parseXmlText } from './testing/test-results-fixtures';

describe('NUnit 3 result files', () => {
  it('reads an NUnit console report: totals, failure and error with message and stack trace', async () => {
    const results = expectResults(await parseTestResults(fixturePath('nunit3-console.xml')));

    expect(results.format).toBe('nunit3');
    expect(results.totals).toEqual({
      total: 8,
      passed: 4,
      failed: 1,
      errored: 1,
      skipped: 1,
      inconclusive: 1,
    });
    expect(results.durationSeconds).toBeCloseTo(3.914526);
    expect(results.warnings).toEqual([]);
    expect(results.failures).toEqual([
      {
        name: 'Acme.Billing.InvoiceApiSmokeTests.InvoiceCanBeRendered',
        outcome: 'failed',
        message: 'Expected: OK\n  But was:  InternalServerError',
        stackTraceTail:
          '   at Acme.Billing.InvoiceApiSmokeTests.InvoiceCanBeRendered() in C:\\src\\billing\\smoke\\InvoiceApiSmokeTests.cs:line 48',
      },
      expect.objectContaining({
        name: 'Acme.Billing.InvoiceApiSmokeTests.LedgerIsReachable',
        outcome: 'errored',
        message: expect.stringContaining(
          'System.Net.Http.HttpRequestException : No connection could be made',
        ),
        stackTraceTail: expect.stringContaining(
          'LedgerIsReachable() in C:\\src\\billing\\smoke\\InvoiceApiSmokeTests.cs:line 63',
        ),
      }),
    ]);
  });

  it('reads a report written by dotnet test --logger nunit', async () => {
    const results = expectResults(await parseTestResults(fixturePath('nunit3-dotnet-logger.xml')));

    expect(results.totals).toEqual({
      total: 3,
      passed: 3,
      failed: 0,
      errored: 0,
      skipped: 0,
      inconclusive: 0,
    });
    expect(results.durationSeconds).toBeCloseTo(1.4821);
    expect(results.warnings).toEqual([]);
  });

  it('builds the name from the suite path when a test case has no fullname, leaving out the assembly', async () => {
    const xml = `<test-run total="1" failed="1">
      <test-suite type="Assembly" name="Smoke.dll"><test-suite type="TestSuite" name="Acme">
        <test-suite type="TestFixture" name="PingTests">
          <test-case name="Pings" result="Failed"><failure><message>no pong</message></failure></test-case>
        </test-suite>
      </test-suite></test-suite>
    </test-run>`;
    const results = expectResults(await parseXmlText(xml));

    expect(results.failures).toEqual([
      { name: 'Acme.PingTests.Pings', outcome: 'failed', message: 'no pong' },
    ]);
  });

  it('counts Warning as passed and says so, warns about declared totals that disagree and unknown results', async () => {
    const xml = `<test-run total="5" passed="1" failed="0" warnings="1" inconclusive="0" skipped="0">
      <test-suite type="TestFixture" name="F">
        <test-case fullname="F.a" result="Passed"/>
        <test-case fullname="F.b" result="Warning"/>
        <test-case fullname="F.c" result="Exploded"/>
      </test-suite>
    </test-run>`;
    const results = expectResults(await parseXmlText(xml));

    expect(results.totals).toEqual({
      total: 3,
      passed: 2,
      failed: 0,
      errored: 0,
      skipped: 0,
      inconclusive: 1,
    });
    expect(results.warnings).toEqual([
      '<test-run> declares total="5" but the file contains 3 test cases; the counted figure is used',
      '<test-run> declares inconclusive="0" but the file contains 1 inconclusive test cases; the counted figure is used',
      '1 test case(s) ended with result "Warning"; they are counted as passed',
      'unknown test-case result "Exploded"; such test cases are counted as inconclusive',
    ]);
  });

  it('ignores a suite-level failure and assertion messages; only the test case failure message counts', async () => {
    const xml = `<test-run>
      <test-suite type="TestFixture" name="F" result="Failed">
        <failure><message>OneTimeSetUp: child failed</message></failure>
        <test-case fullname="F.t" result="Failed">
          <failure><message>real message</message></failure>
          <assertions><assertion result="Failed"><message>assertion copy</message></assertion></assertions>
        </test-case>
      </test-suite>
    </test-run>`;
    const results = expectResults(await parseXmlText(xml, { chunkSize: 7 }));

    expect(results.totals.total).toBe(1);
    expect(results.failures).toEqual([{ name: 'F.t', outcome: 'failed', message: 'real message' }]);
  });
});
