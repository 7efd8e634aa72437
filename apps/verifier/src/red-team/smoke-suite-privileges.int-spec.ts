import { randomBytes, randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import type { CheckResult, smokeSuiteSchema } from '@conveyor/contracts';
import { waitFor } from '@conveyor/testing';
import { startFakeApp, type FakeAppServer } from '../testing/fake-app-server';
import { VerifierHarness } from '../testing/verifier-harness';
import { VerifierProcess } from './verifier-process';

type Suite = z.input<typeof smokeSuiteSchema>;
const VERSION = '3.1.0';
const NOBODY = 65534;
const MAX_RESULT_BYTES = 4096;

/**
 * Red team: smoke suites against the verifier that runs them. The real verifier runs as its own
 * process (root here) with SMOKE_RUN_AS_UID=65534 and a canary secret in its environment; the
 * suites are shell scripts (the manifest's commands) that try to read that environment, signal
 * the verifier, outlive their timeout, or hand it a FIFO, a link or a huge file as results.
 */
describe('red team: a smoke suite cannot reach the verifier', () => {
  const bed = new VerifierHarness();
  const canary = `canary-${randomBytes(12).toString('hex')}`;
  let verifier: VerifierProcess;
  let app: FakeAppServer;
  let suites: string;

  async function suite(name: string, script: string, extra: Partial<Suite> = {}): Promise<Suite> {
    const path = join(suites, `${name}.sh`);
    await writeFile(path, script, { mode: 0o644 });
    return { name, command: '/bin/sh', args: [path], timeoutSeconds: 20, ...extra };
  }

  async function verify(smoke: Suite[]) {
    const verificationId = randomUUID();
    await bed.publish('verification.requested', {
      verificationId,
      deploymentId: randomUUID(),
      service: 'shop',
      environment: 'qa',
      batchIndex: 1,
      expectedVersion: VERSION,
      servers: [{ id: 'shop-01', address: app.address }],
      spec: { health: { versionField: 'version', timeoutSeconds: 5, intervalMs: 100 }, smoke },
    });
    return bed.outcomeOf(verificationId, 60_000);
  }
  const byType = (results: CheckResult[], type: CheckResult['type']) => results.find((r) => r.type === type)!;

  beforeAll(async () => {
    if (process.getuid?.() !== 0)
      throw new Error('this red-team file runs as root (it switches the suites to uid 65534)');
    suites = await mkdtemp(join(tmpdir(), 'verifier-red-team-'));
    await chmod(suites, 0o755);
    app = await startFakeApp({ behaviour: 'healthy', version: VERSION });
    await bed.start({ verifier: false });
    verifier = new VerifierProcess(
      await VerifierProcess.environment(bed.vhost.urlFor('verifier'), bed.database.url, {
        SMOKE_RUN_AS_UID: String(NOBODY),
        VERIFIER_RESULT_FILE_MAX_BYTES: String(MAX_RESULT_BYTES),
        VERIFIER_RED_TEAM_CANARY: canary,
      }),
    );
    await verifier.start();
  }, 120_000);

  afterAll(async () => {
    await verifier?.stop();
    await app?.close();
    await bed.stop();
    await rm(suites, { recursive: true, force: true });
  });

  it('runs as uid 65534 and cannot read the verifier’s /proc/$PPID/environ or signal it', async () => {
    const probe = await suite(
      'probe',
      [
        'echo "uid=$(id -u) parent=$PPID"',
        'cat /proc/$PPID/environ || echo "environ: refused"',
        'kill -0 $PPID || echo "signal: refused"',
        'env',
      ].join('\n'),
    );
    const { data } = await verify([probe]);
    const command = byType(data.results, 'command');
    expect(command.verdict).toBe('passed');
    expect(command.actual).toContain(`uid=${NOBODY} parent=${verifier.pid}`);
    expect(command.actual).toContain('Permission denied');
    expect(command.actual).toContain('environ: refused');
    expect(command.actual).toContain('signal: refused');
    expect(command.actual).not.toContain(canary);
    expect(command.actual).not.toContain('DATABASE_URL');
    expect(command.actual).not.toContain('AMQP_URL');
  });

  it('a FIFO as result file is refused at once (the verifier does not hang on it)', async () => {
    const fifo = await suite('fifo', 'mkfifo "$CONVEYOR_RESULT_FILE"', { resultFile: 'results.xml' });
    const started = Date.now();
    const { passed, data } = await verify([fifo]);
    expect(passed).toBe(false);
    expect(byType(data.results, 'test-results')).toMatchObject({
      verdict: 'inconclusive',
      actual: expect.stringContaining('is not a regular file (a FIFO): refused'),
    });
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('a result file that is a link to a file of the verifier’s is refused', async () => {
    const link = await suite('link', 'ln -s /etc/shadow "$CONVEYOR_RESULT_FILE"', {
      resultFile: 'results.xml',
    });
    const { passed, data } = await verify([link]);
    expect(passed).toBe(false);
    expect(byType(data.results, 'test-results').actual).toMatch(
      /leads out of the suite's working directory \(through a link\): refused|is a symbolic link/,
    );
    expect(byType(data.results, 'test-results').actual).not.toContain('root:');
  });

  it('a result file larger than VERIFIER_RESULT_FILE_MAX_BYTES is refused', async () => {
    const big = await suite('big', 'head -c 10000 /dev/zero | tr "\\000" "x" > "$CONVEYOR_RESULT_FILE"', {
      resultFile: 'results.xml',
    });
    const { data } = await verify([big]);
    expect(byType(data.results, 'test-results')).toMatchObject({
      verdict: 'inconclusive',
      actual: expect.stringContaining(`is larger than ${MAX_RESULT_BYTES} bytes: refused`),
    });
  });

  it('a 1 s suite with a `sleep 30 &` grandchild returns at its timeout and the grandchild dies', async () => {
    const hang = await suite('hang', 'sleep 30 & echo "grandchild=$!"; wait', { timeoutSeconds: 1 });
    const { data } = await verify([hang]);
    const command = byType(data.results, 'command');
    expect(command.actual).toContain('still running after its timeout of 1 s: process group killed');
    expect(command.durationMs).toBeLessThan(2_500);
    const grandchild = Number(/grandchild=(\d+)/.exec(command.actual)?.[1]);
    expect(grandchild).toBeGreaterThan(0);
    await waitFor(
      'the grandchild to be gone',
      () => {
        try {
          process.kill(grandchild, 0);
          return undefined;
        } catch {
          return true;
        }
      },
      { timeoutMs: 5_000 },
    );
  });
});
