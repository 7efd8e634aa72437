import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestDatabase,
  createTestVhost,
  findFreePort,
  waitFor,
  type TestDatabase,
  type TestVhost,
  startStandInOrchestrator,
  type StandInOrchestrator,
} from '@conveyor/testing';
import { conveyor, startConveyor, type CliRun } from './testing/cli-process';
import { startPipelineProcess, type PipelineProcess } from './testing/pipeline-process';

const manifest = `
service: shop
description: The web shop
environments:
  dev:
    pool: shop-dev
    servers: [{ id: dev-1 }, { id: dev-2 }]
    strategy: { batchSize: 1, minHealthy: 1 }
  prod:
    pool: shop-prod
    servers: [{ id: web-1 }, { id: web-2 }]
    strategy: { batchSize: 1, minHealthy: 1 }
    approvals: { required: 1, separationOfDuties: true, expiresAfterHours: 24 }
`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('conveyor, as Jenkins and operators run it, against a real pipeline', () => {
  let vhost: TestVhost;
  let database: TestDatabase;
  let orchestrator: StandInOrchestrator;
  let pipeline: PipelineProcess;
  let work: string;
  const tokens = { jenkins: '', carol: '', alice: '', dave: '' };
  const as = (who: keyof typeof tokens, args: string[]) =>
    conveyor(args, { CONVEYOR_URL: pipeline.url, CONVEYOR_TOKEN: tokens[who] });
  /** Starts `conveyor deploy status --watch` and waits for its first output, so the watch sees the rollout from the start. */
  async function watch(who: keyof typeof tokens, args: string[]): Promise<{ finished: Promise<CliRun> }> {
    const started = startConveyor(args, { CONVEYOR_URL: pipeline.url, CONVEYOR_TOKEN: tokens[who] });
    await waitFor(
      'the watch to print the deployment',
      () => started.output.stdout.length > 0 || started.output.code !== null,
      { timeoutMs: 20_000 },
    );
    return { finished: started.finished };
  }
  const expectExit = (run: CliRun, code: number) => {
    if (run.code !== code)
      throw new Error(
        `expected exit ${code}, got ${String(run.code)}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`,
      );
  };
  let devDeployment = '';
  let prodDeployment = '';

  beforeAll(async () => {
    [vhost, database] = await Promise.all([createTestVhost(), createTestDatabase()]);
    orchestrator = await startStandInOrchestrator(vhost);
    pipeline = await startPipelineProcess(vhost.urlFor('pipeline'), database.url);
    tokens.jenkins = await pipeline.issueToken('jenkins', 'ci');
    tokens.carol = await pipeline.issueToken('carol', 'deployer');
    tokens.alice = await pipeline.issueToken('alice', 'approver');
    tokens.dave = await pipeline.issueToken('dave', 'admin');
    work = await mkdtemp(join(tmpdir(), 'conveyor-cli-'));
    await writeFile(join(work, 'conveyor.yaml'), manifest);
    await writeFile(
      join(work, 'bad.yaml'),
      manifest.replace(
        'batchSize: 1, minHealthy: 1 }\n    approvals',
        'batchSize: lots, minHealthy: 1 }\n    approvals',
      ),
    );
    await writeFile(join(work, 'shop-1.4.2.zip'), 'pretend this is a build');
  }, 90_000);

  afterAll(async () => {
    await pipeline?.stop();
    await orchestrator?.close();
    await Promise.all([vhost?.delete(), database?.drop()]);
  });

  it('applies a manifest once, says when it is unchanged, and lists every problem of a bad one (exit 1)', async () => {
    const first = await as('carol', ['services', 'apply', '-f', join(work, 'conveyor.yaml')]);
    expectExit(first, 0);
    expect(first.stdout).toBe('shop: manifest v1 applied · environments dev → prod\n');
    const again = await as('carol', ['services', 'apply', '-f', join(work, 'conveyor.yaml')]);
    expect(again.stdout).toContain('shop: manifest v1 unchanged');
    const bad = await as('carol', ['services', 'apply', '-f', join(work, 'bad.yaml')]);
    expectExit(bad, 1);
    expect(bad.stderr).toContain('error: the pipeline refused PUT /services/shop');
    expect(bad.stderr).toContain('  - environments.prod.strategy.batchSize: must be a count or a percentage');
  });

  it('reports a build as Jenkins does: the run id alone on stdout, a stage, and the artifact hashed from the file', async () => {
    const created = await as('jenkins', [
      'runs',
      'create',
      '--service',
      'shop',
      '--version',
      '1.4.2',
      '--commit',
      '9fceb02d0ae5',
      '--branch',
      'main',
      '--job-url',
      'https://jenkins.example.com/job/shop/412/',
      '--build-number',
      '412',
    ]);
    expectExit(created, 0);
    const runId = created.stdout.trim();
    expect(runId).toMatch(UUID);
    const stage = await as('jenkins', [
      'runs',
      'stage',
      runId,
      '--name',
      'unit tests',
      '--status',
      'succeeded',
      '--tests-total',
      '1342',
      '--tests-failed',
      '0',
      '--tests-skipped',
      '4',
    ]);
    expectExit(stage, 0);
    const artifact = await as('jenkins', [
      'runs',
      'artifact',
      runId,
      '--artifact-url',
      'https://artifacts.example.com/shop-1.4.2.zip',
      '--file',
      join(work, 'shop-1.4.2.zip'),
    ]);
    expectExit(artifact, 0);
    const shown = await as('jenkins', ['runs', 'show', runId, '--json']);
    const run = JSON.parse(shown.stdout) as {
      stages: { name: string; tests: { total: number } }[];
      artifacts: { sha256: string; size: number }[];
    };
    expect(run.stages).toEqual([
      expect.objectContaining({ name: 'unit tests', tests: expect.objectContaining({ total: 1342 }) }),
    ]);
    expect(run.artifacts[0]).toMatchObject({
      sha256: createHash('sha256').update('pretend this is a build').digest('hex'),
      size: 23,
    });
  });

  it('promotes to dev and follows the rollout line by line in a pipe, exiting 0 when it succeeds', async () => {
    const promoted = await as('jenkins', ['promote', 'shop', '1.4.2', '--to', 'dev', '--json']);
    expectExit(promoted, 0);
    const promotion = JSON.parse(promoted.stdout) as { status: string; deploymentId: string };
    expect(promotion.status).toBe('deploying');
    devDeployment = promotion.deploymentId;
    const request = await orchestrator.requested('dev');
    const watching = await watch('jenkins', [
      'deploy',
      'status',
      devDeployment,
      '--watch',
      '--interval',
      '0.1',
    ]);
    await orchestrator.rollOut(request, 'succeeded', 250);
    const watched = await watching.finished;
    expectExit(watched, 0);
    const lines = watched.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(
        `^\\d\\d:\\d\\d:\\d\\dZ deployment ${devDeployment}: shop 1.4.2 → dev \\(manifest v1\\), requested by jenkins$`,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/Z rollout started: 2 servers in 2 batches, min healthy 1/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/Z batch 2\/2 started: dev-2$/));
    expect(lines).toContainEqual(
      expect.stringMatching(/Z dev-2: verifying — smoke checkout: 14\/14 passed$/),
    );
    expect(lines.at(-1)).toMatch(/Z deployment succeeded in 5s$/);
    expect(watched.stdout).not.toContain('\x1b[');
  });

  it('shows the plan, refuses the requester approving their own promotion (exit 1) and a role that may not approve (exit 4), and deploys on a valid approval', async () => {
    const promoted = await as('dave', ['promote', 'shop', '1.4.2', '--to', 'prod']);
    expectExit(promoted, 0);
    expect(promoted.stdout).toMatch(
      /^promotion [0-9a-f-]{36}: shop 1\.4\.2 dev → prod, awaiting approval\n {2}approvals: 0 of 1, 1 missing\n/,
    );
    const promotionId = /^promotion ([0-9a-f-]{36})/.exec(promoted.stdout)![1]!;

    const plan = await as('alice', ['plan', promotionId]);
    expectExit(plan, 0);
    expect(plan.stdout).toContain('targets: 2 servers (web-1, web-2)');
    const planJson = JSON.parse((await as('alice', ['plan', promotionId, '--json'])).stdout) as {
      planHash: string;
      artifact: { sha256: string };
    };
    const reviewed = ['--plan-hash', planJson.planHash, '--artifact-sha256', planJson.artifact.sha256];
    expect(plan.stdout).toContain(`approve: conveyor approve ${promotionId} ${reviewed.join(' ')}`);

    const own = await as('dave', ['approve', promotionId, ...reviewed]);
    expectExit(own, 1);
    expect(own.stderr).toBe(
      'error: refused: separation of duties: dave requested this promotion and cannot approve it\n',
    );
    const wrongRole = await as('carol', ['approve', promotionId, ...reviewed]);
    expectExit(wrongRole, 4);
    expect(wrongRole.stderr).toMatch(
      /^error: not allowed by the pipeline: role deployer may not POST \/promotions\/[0-9a-f-]+\/approvals; allowed roles: approver, admin\n$/,
    );
    const stale = await as('alice', [
      'approve',
      promotionId,
      '--plan-hash',
      'a'.repeat(64),
      '--artifact-sha256',
      planJson.artifact.sha256,
    ]);
    expectExit(stale, 1);
    expect(stale.stderr).toContain('the plan changed since it was reviewed');

    const approved = await as('alice', ['approve', promotionId, ...reviewed, '--comment', 'CHG-1234']);
    expectExit(approved, 0);
    expect(approved.stdout).toContain('deploying');
    expect(approved.stdout).toContain('approvals: 1 of 1 (alice)');
    prodDeployment = (await orchestrator.requested('prod')).deploymentId;
    expect(approved.stdout).toContain(`conveyor deploy status ${prodDeployment} --watch`);
  });

  it('exits 1 from --watch when the rollout is rolled back, and --json --watch prints one parseable view per change', async () => {
    const request = await orchestrator.requested('prod');
    const watching = await watch('carol', [
      'deploy',
      'status',
      prodDeployment,
      '--watch',
      '--interval',
      '0.1',
      '--json',
    ]);
    await orchestrator.rollOut(request, 'rolled_back', 250);
    const watched = await watching.finished;
    expectExit(watched, 1);
    const views = watched.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { status: string });
    expect(views.length).toBeGreaterThan(2);
    expect(views.at(-1)).toMatchObject({
      status: 'rolled_back',
      outcome: { reason: 'smoke suite checkout failed', serverId: 'web-2' },
    });
    expect(watched.stderr).toBe(
      'deployment rolled back in 4s at verify on web-2: smoke suite checkout failed\n',
    );
  });

  it('lists deployments as a table and as JSON, and refuses to steer a finished one with the reason (exit 1)', async () => {
    const listed = await as('carol', ['deployments', 'list', '--service', 'shop']);
    expectExit(listed, 0);
    expect(listed.stdout.split('\n')[0]).toMatch(/^DEPLOYMENT\s+SERVICE\s+VERSION\s+ENV\s+STATUS/);
    expect(listed.stdout).toMatch(
      new RegExp(`${prodDeployment}\\s+shop\\s+1\\.4\\.2\\s+prod\\s+rolled_back`),
    );
    const json = JSON.parse((await as('carol', ['deployments', 'list', '--json'])).stdout) as {
      id: string;
      status: string;
    }[];
    expect(json.map((d) => [d.id, d.status]).sort()).toEqual(
      [
        [devDeployment, 'succeeded'],
        [prodDeployment, 'rolled_back'],
      ].sort(),
    );
    const status = await as('carol', ['deploy', 'status', devDeployment]);
    expect(status.stdout).toMatch(/Z deployment succeeded in 5s\n$/);
    const pause = await as('carol', ['deployments', 'pause', prodDeployment]);
    expectExit(pause, 1);
    expect(pause.stderr).toMatch(/^error: refused: .+/);
  });

  it('exits 4 with the reason on a bad token, 3 on an unknown deployment, 2 on bad usage or missing configuration, 5 when unreachable', async () => {
    const badToken = await conveyor(['deployments', 'list'], {
      CONVEYOR_URL: pipeline.url,
      CONVEYOR_TOKEN: 'cvy_not-a-real-token',
    });
    expectExit(badToken, 4);
    expect(badToken.stderr).toBe('error: not authenticated by the pipeline: unknown or revoked API token\n');
    const unknown = await as('carol', ['deploy', 'status', '00000000-0000-4000-8000-000000000000']);
    expectExit(unknown, 3);
    expect(unknown.stderr).toContain('error: not found: ');
    const notAnId = await as('carol', ['deploy', 'status', 'web-1']);
    expectExit(notAnId, 2);
    expect(notAnId.stderr).toContain(
      "error: command-argument value 'web-1' is invalid for argument 'deployment'. must be a deployment id (a UUID)",
    );
    const noConfig = await conveyor(['deployments', 'list']);
    expectExit(noConfig, 2);
    expect(noConfig.stderr).toContain(
      'error: no pipeline URL: give --url, set CONVEYOR_URL, or put "url" in ',
    );
    const closedPort = await findFreePort();
    const unreachable = await conveyor(['deployments', 'list', '--json'], {
      CONVEYOR_URL: `http://127.0.0.1:${closedPort}`,
      CONVEYOR_TOKEN: tokens.carol,
    });
    expectExit(unreachable, 5);
    expect(JSON.parse(unreachable.stderr)).toEqual({
      error: {
        message: `cannot reach the pipeline at http://127.0.0.1:${closedPort}: connect ECONNREFUSED 127.0.0.1:${closedPort}`,
        details: [],
        exitCode: 5,
        status: null,
      },
    });
  });
});
