import { parseTestResults } from './parse-test-results';
import { expectResults, fixturePath, parseXmlText } from './testing/test-results-fixtures';

describe('NUnit 2.x result files', () => {
  it('reads an NUnit 2.5 report: every result value counted, failures named with messages', async () => {
    const results = expectResults(await parseTestResults(fixturePath('nunit2-5.xml')));

    expect(results.format).toBe('nunit2');
    expect(results.totals).toEqual({
      total: 8,
      passed: 3,
      failed: 1,
      errored: 2,
      skipped: 1,
      inconclusive: 1,
    });
    expect(results.durationSeconds).toBeCloseTo(2.412);
    expect(results.warnings).toEqual([]);
    expect(results.failures.map(({ name, outcome, message }) => ({ name, outcome, message }))).toEqual([
      {
        name: 'Acme.Legacy.PortalSmokeTests.ReportsRender',
        outcome: 'failed',
        message:
          'Expected string length 12 but was 0. Strings differ at index 0.\n  Expected: "Q2 2024 sales"\n  But was:  <string.Empty>',
      },
      {
        name: 'Acme.Legacy.PortalSmokeTests.SessionStoreAvailable',
        outcome: 'errored',
        message: "System.Data.SqlClient.SqlException : Login failed for user 'portal'.",
      },
      {
        name: 'Acme.Legacy.PortalSmokeTests.PrintQueueDrains',
        outcome: 'errored',
        message: 'Method PrintQueueDrains has non-void return value',
      },
    ]);
    expect(results.failures[1]!.stackTraceTail).toContain('PortalSmokeTests.cs:line 88');
  });

  it('judges NUnit 2.2–2.4 files without a result attribute by executed and success', async () => {
    const xml = `<test-results total="2" failures="1" not-run="1">
      <test-suite name="Fixture"><results>
        <test-case name="Ok" executed="True" success="True"/>
        <test-case name="Broken" executed="True" success="False"><failure><message>bad</message></failure></test-case>
        <test-case name="Off" executed="False"/>
      </results></test-suite>
    </test-results>`;
    const results = expectResults(await parseXmlText(xml));

    expect(results.totals).toEqual({
      total: 3,
      passed: 1,
      failed: 1,
      errored: 0,
      skipped: 1,
      inconclusive: 0,
    });
    expect(results.failures).toEqual([{ name: 'Fixture.Broken', outcome: 'failed', message: 'bad' }]);
    expect(results.warnings).toEqual([]);
  });

  it('warns when the declared totals of <test-results> disagree with the test cases', async () => {
    const xml = `<test-results total="3" errors="0" failures="0" not-run="0">
      <test-suite type="TestFixture" name="F"><results>
        <test-case name="F.a" executed="True" result="Success" success="True"/>
      </results></test-suite>
    </test-results>`;
    const results = expectResults(await parseXmlText(xml));

    expect(results.warnings).toEqual([
      '<test-results> declares total="3" but the file contains 1 executed test cases; the counted figure is used',
    ]);
  });
});
