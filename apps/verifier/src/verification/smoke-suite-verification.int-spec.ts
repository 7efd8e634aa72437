import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import type { smokeSuiteSchema } from '@conveyor/contracts';
import { waitFor } from '@conveyor/testing';
import { startFakeApp, type FakeAppServer } from '../testing/fake-app-server';
import { VerifierHarness } from '../testing/verifier-harness';

const VERSION = '3.1.0';
type Suite = z.input<typeof smokeSuiteSchema>;

const NUNIT3_TWO_FAILURES = `<?xml version="1.0" encoding="utf-8"?>
<test-run id="0" testcasecount="3" result="Failed" total="3" passed="1" failed="2" inconclusive="0" skipped="0">
  <test-suite type="TestFixture" name="CheckoutSmoke" fullname="Shop.Smoke.CheckoutSmoke" total="3" passed="1" failed="2">
    <test-case name="HomePageLoads" fullname="Shop.Smoke.CheckoutSmoke.HomePageLoads" result="Passed" />
    <test-case name="CartAcceptsItem" fullname="Shop.Smoke.CheckoutSmoke.CartAcceptsItem" result="Failed">
      <failure><message><![CDATA[Expected: 201 But was: 500]]></message></failure>
    </test-case>
    <test-case name="PaymentPageRenders" fullname="Shop.Smoke.CheckoutSmoke.PaymentPageRenders" result="Failed">
      <failure><message><![CDATA[Timed out waiting for #pay-button]]></message></failure>
    </test-case>
  </test-suite>
</test-run>`;

const JUNIT_ZERO_TESTS =
  '<?xml version="1.0"?><testsuites tests="0"><testsuite name="smoke" tests="0"/></testsuites>';

describe('smoke suites as commands through the real bus', () => {
  const bed = new VerifierHarness();
  let app: FakeAppServer;
  let suites: string;

  /** A suite: a shell script in the test's own directory (trusted config in real life: the manifest). */
  async function suite(name: string, script: string, extra: Partial<Suite> = {}): Promise<Suite> {
    const path = join(suites, `${name}.sh`);
    await writeFile(path, script);
    return { name, command: '/bin/sh', args: [path], timeoutSeconds: 20, ...extra };
  }

  function request(smoke: Suite[], deploymentId = randomUUID()) {
    return {
      verificationId: randomUUID(),
      deploymentId,
      service: 'shop',
      environment: 'qa',
      batchIndex: 1,
      expectedVersion: VERSION,
      servers: [{ id: 'shop-01', address: app.address }],
      spec: { health: { versionField: 'version', timeoutSeconds: 5, intervalMs: 100 }, smoke },
    };
  }

  async function verify(smoke: Suite[]) {
    const req = request(smoke);
    await bed.publish('verification.requested', req);
    return bed.outcomeOf(req.verificationId);
  }

  function isAlive(pid: number): boolean {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  beforeAll(async () => {
    suites = await mkdtemp(join(tmpdir(), 'verifier-suites-'));
    await writeFile(join(suites, 'two-failures.xml'), NUNIT3_TWO_FAILURES);
    await writeFile(join(suites, 'zero-tests.xml'), JUNIT_ZERO_TESTS);
    app = await startFakeApp({ behaviour: 'healthy', version: VERSION });
    await bed.start();
  });

  afterAll(async () => {
    await app.close();
    await bed.stop();
    await rm(suites, { recursive: true, force: true });
  });

  it('passes a suite that exits 0, having given it the target in its environment', async () => {
    const { passed, data } = await verify([
      await suite(
        'env',
        'echo "target=$TARGET_URL server=$SERVER_ID version=$CONVEYOR_EXPECTED_VERSION db=$DATABASE_URL"',
      ),
    ]);
    expect(passed).toBe(true);
    const command = data.results.find((r) => r.type === 'command')!;
    expect(command.verdict).toBe('passed');
    expect(command.actual).toContain(`target=http://${app.address} server=shop-01 version=${VERSION} db=`);
    expect(command.actual).toMatch(/db=$/);
  });

  it('fails a suite that exits non-zero, with its exit code and output tail', async () => {
    const { passed, data } = await verify([await suite('exit3', 'echo "login page broken" >&2; exit 3')]);
    expect(passed).toBe(false);
    const command = data.results.find((r) => r.type === 'command')!;
    expect(command).toMatchObject({ verdict: 'failed', check: 'smoke exit3' });
    expect(command.actual).toMatch(/^exit code 3 after .*output tail:\nlogin page broken$/s);
  });

  it('kills a suite that hangs past its timeout, with everything it started, and fails it', async () => {
    const pidFile = join(suites, 'hang.pid');
    const hang = await suite('hang', `sleep 120 & echo $! > ${pidFile}; wait`, { timeoutSeconds: 1 });
    const { passed, data } = await verify([hang]);
    expect(passed).toBe(false);
    expect(data.results.find((r) => r.type === 'command')).toMatchObject({
      verdict: 'failed',
      actual: expect.stringContaining('still running after its timeout of 1 s: process group killed'),
    });
    const grandchild = Number(await readFile(pidFile, 'utf8'));
    await waitFor('the suite’s child process to be gone', () => !isAlive(grandchild), { timeoutMs: 5_000 });
  });

  it('reads an NUnit file with two failing tests and names them with their messages', async () => {
    const nunit = await suite(
      'nunit',
      `cp ${join(suites, 'two-failures.xml')} "$CONVEYOR_RESULT_FILE"; exit 1`,
      { resultFile: 'TestResult.xml' },
    );
    const { passed, data } = await verify([nunit]);
    expect(passed).toBe(false);
    const results = data.results.find((r) => r.type === 'test-results')!;
    expect(results.verdict).toBe('failed');
    expect(results.failedTests).toEqual([
      { name: 'Shop.Smoke.CheckoutSmoke.CartAcceptsItem', message: 'Expected: 201 But was: 500' },
      { name: 'Shop.Smoke.CheckoutSmoke.PaymentPageRenders', message: 'Timed out waiting for #pay-button' },
    ]);
    expect(results.actual).toContain(
      '- Shop.Smoke.CheckoutSmoke.CartAcceptsItem: Expected: 201 But was: 500',
    );
  });

  it('fails a suite that ran zero tests: inconclusive is not a pass', async () => {
    const zero = await suite('zero', `cp ${join(suites, 'zero-tests.xml')} "$CONVEYOR_RESULT_FILE"`, {
      resultFile: 'junit.xml',
    });
    const { passed, data } = await verify([zero]);
    expect(passed).toBe(false);
    expect(data.results.find((r) => r.type === 'test-results')).toMatchObject({
      verdict: 'inconclusive',
      actual: expect.stringContaining('No tests ran'),
    });
    expect(data.reason).toMatch(/^1 check\(s\) inconclusive and allowInconclusive is off/);
  });

  it('fails on a malformed or missing result file, with a clear error', async () => {
    const broken = await suite(
      'broken',
      `printf '<testsuites><testsuite name="x"><testcase' > "$CONVEYOR_RESULT_FILE"`,
      { resultFile: 'broken.xml' },
    );
    const missing = await suite('missing', 'exit 0', { resultFile: 'never-written.xml' });
    const { passed, data } = await verify([broken, missing]);
    expect(passed).toBe(false);
    const files = data.results.filter((r) => r.type === 'test-results');
    expect(files.find((r) => r.check === 'smoke broken results')).toMatchObject({
      verdict: 'inconclusive',
      actual: expect.stringMatching(/^broken.xml: Test results could not be used: .*/),
    });
    expect(files.find((r) => r.check === 'smoke missing results')!.actual).toMatch(/never-written.xml/);
  });

  it('stops a running suite when its deployment is aborted, and fails the verification as cancelled', async () => {
    const pidFile = join(suites, 'abort.pid');
    const req = request([
      await suite('long', `sleep 120 & echo $! > ${pidFile}; wait`, { timeoutSeconds: 600 }),
    ]);
    await bed.publish('verification.requested', req);
    const grandchild = await waitFor(
      'the suite to be running',
      async () => Number(await readFile(pidFile, 'utf8')) || undefined,
      { timeoutMs: 15_000 },
    );
    await bed.publish('deployment.aborted', {
      deploymentId: req.deploymentId,
      reason: 'operator pressed stop',
      durationMs: 1_000,
    });

    const { passed, data } = await bed.outcomeOf(req.verificationId);
    expect(passed).toBe(false);
    expect(data.reason).toBe(`cancelled: deployment ${req.deploymentId} was aborted: operator pressed stop`);
    await waitFor('the suite’s child process to be gone', () => !isAlive(grandchild), { timeoutMs: 5_000 });
  });

  it('resumes a verification interrupted by a verifier restart, and reports it once', async () => {
    const runs = join(suites, 'resume.runs');
    const req = request([await suite('slow', `echo run >> ${runs}; sleep 2`)]);
    await bed.publish('verification.requested', req);
    await waitFor(
      'the suite to be running',
      async () => (await readFile(runs, 'utf8').catch(() => '')).length > 0,
      { timeoutMs: 15_000 },
    );
    await bed.verifier.close();
    await bed.startVerifier();

    const { passed } = await bed.outcomeOf(req.verificationId);
    expect(passed).toBe(true);
    expect((await readFile(runs, 'utf8')).trim().split('\n')).toEqual(['run', 'run']);
    expect(
      bed.seen.of('verification.started').filter((e) => e.verificationId === req.verificationId),
    ).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const outcomes = [...bed.seen.of('verification.passed'), ...bed.seen.of('verification.failed')].filter(
      (e) => e.verificationId === req.verificationId,
    );
    expect(outcomes).toHaveLength(1);
  });
});
