import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { reloadThroughHook, waitFor } from '@conveyor/testing';
import { currentVersions, verifyAuditExport } from '../demo-scenario';
import { setUpDemoEnvironment, type DemoEnvironment, type ServiceName } from '../demo-environment';
import { LoadGenerator, type LoadFigures } from '../load-generator';
import { PipelineClient } from '../pipeline-client';
import type { ReleaseActors } from '../release-flow';
import { conveyorCli, describeRun } from './conveyor-cli';
import { poolStates, rolloutWithFault, type Fault, type FaultRun } from './fault-rollout';

/**
 * The fault suite: the five services as real processes, TWO replicas of each, a production fleet of
 * four servers with their agents behind a real HAProxy (master-worker, server-state-file), customer
 * traffic (short and long requests) through it the whole time. Each release rolls out with one
 * fault injected at a moment of the rollout; after each, what a user would check is checked from
 * the outside: the deployment ended in bounded time, its recorded outcome matches what every server
 * serves and what HAProxy routes to, the floor held (HAProxy sampled every 100 ms), no agent ran a
 * step twice, no customer request failed. At the end the audit export verifies offline and holds
 * every event once.
 */
const SERVICE = 'sample-app';
const SERVERS = 4;
const FLOOR = SERVERS - 1;
const OUTAGE_MS = 12_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `web-1=UP web-2=MAINT …`: HAProxy's view of the pool as one line of a report. */
const describePool = (pool: Record<string, string>) =>
  Object.entries(pool)
    .map(([server, state]) => `${server}=${state}`)
    .join(' ');

/** A release whose deploy holds each server `seconds` in after-install, so every moment of it can be caught. */
const holdingRelease = (env: DemoEnvironment, version: string, seconds = 3) =>
  env.buildArtifact(version, undefined, {
    'after-install': {
      timeoutSeconds: 30,
      linux: `sleep ${seconds} && sh "$CONVEYOR_RELEASE_DIR/hooks/after-install.sh"`,
    },
  });

/** SIGKILL one replica, bring it back after `downMs` (the other replica carries on meanwhile). */
const killReplica =
  (service: ServiceName, replica: number, downMs = 3_000) =>
  async (env: DemoEnvironment): Promise<string[]> => {
    const process = env.replicas[service][replica];
    await process.kill();
    await sleep(downMs);
    await process.start();
    return [`${process.name} SIGKILLed, back after ${downMs} ms`];
  };

const FAULTS: Fault[] = [
  {
    name: 'an orchestrator replica SIGKILLed while the canary deploys',
    at: { server: 'web-1', step: 'deploying' },
    expect: 'succeeded',
    inject: killReplica('orchestrator', 0),
  },
  {
    name: 'the other orchestrator replica SIGKILLed while a server is verified',
    at: { server: 'web-2', step: 'verifying' },
    expect: 'succeeded',
    inject: killReplica('orchestrator', 1),
  },
  {
    name: 'a pool-manager replica SIGKILLed while a server drains',
    at: { server: 'web-2', step: 'draining' },
    expect: 'succeeded',
    inject: killReplica('pool-manager', 0),
  },
  {
    name: 'a verifier replica SIGKILLed while the canary deploys, and the pipeline and the audit with it',
    at: { server: 'web-1', step: 'deploying' },
    expect: 'succeeded',
    inject: async (env) => [
      ...(
        await Promise.all([
          killReplica('verifier', 0)(env),
          killReplica('pipeline', 0)(env),
          killReplica('audit', 0)(env),
        ])
      ).flat(),
    ],
  },
  {
    name: `the broker unreachable for ${OUTAGE_MS / 1000} s while the second batch deploys`,
    at: { server: 'web-2', step: 'deploying' },
    expect: 'succeeded',
    inject: async (env) => [`${await env.vhost.outage(OUTAGE_MS)} broker connections dropped`],
  },
  {
    name: "the broker restarted during web-3's turn: the agents' queues are lost with it",
    at: { server: 'web-3', step: 'draining' },
    expect: 'succeeded',
    // Commands published before an agent (jittered back-off) has declared its queue again reach no one,
    // and a command in a queue is lost with it: each is sent again when its agent announces itself.
    // (The moment comes from the read model: on a loaded machine it may land in web-3's deploy.)
    inject: async (env) => [
      `${await env.vhost.outage(8_000, { loseTransientQueues: true })} broker connections dropped, agent queues lost`,
    ],
  },
  {
    name: `the database unreachable for ${OUTAGE_MS / 1000} s while the second batch deploys`,
    at: { server: 'web-2', step: 'deploying' },
    expect: 'succeeded',
    inject: async (env) => [`${await env.database.outage(OUTAGE_MS)} database connections terminated`],
  },
  {
    name: 'HAProxy reloaded gracefully while a server is out of the pool for its deploy',
    at: { server: 'web-3', step: 'deploying' },
    // Still deploying when the hook returns, even on a loaded machine: only then must it be out.
    deploySeconds: 10,
    expect: 'succeeded',
    inject: async (env) => {
      // The way production reloads: the shipped hook (deploy/haproxy/haproxy-reload.sh).
      const hookStarted = Date.now();
      const reload = await reloadThroughHook(env.haproxy['prod']);
      const hookMs = Date.now() - hookStarted;
      if (reload.code !== 0)
        return [`reload hook failed (${reload.code}) after ${hookMs} ms: ${reload.output}`];
      // Right after the reload, before any reconciler could act: the server under deployment must
      // still be out of the customer-facing backend.
      return [
        `reload hook took ${hookMs} ms: ${reload.output.trim().replace(/\n/g, ' | ')}`,
        `after the reload: ${describePool(await poolStates(env))}`,
      ];
    },
  },
  {
    name: 'the deploying agent SIGKILLed and restarted 3 s later',
    at: { server: 'web-2', step: 'deploying' },
    // Well inside its deploy (the after-install hook holds it 3 s).
    delayMs: 1_500,
    expect: 'truthful',
    inject: async (env) => {
      const agent = env.fleets['prod'].agent('web-2');
      await agent.kill();
      await sleep(3_000);
      await agent.start();
      return ['agent web-2 SIGKILLed, restarted after 3 s'];
    },
  },
];

describe('faults during production rollouts, two replicas of every service, customers on', () => {
  let env: DemoEnvironment;
  let workDir: string;
  let load: LoadGenerator;
  let loadFigures: LoadFigures;
  let actors: ReleaseActors;
  let auditorToken: string;
  /** An operator's token (role deployer), for the `conveyor` command. */
  let operatorToken: string;
  const runs: FaultRun[] = [];
  let failures = 0;
  /** Counts a failed test, so that the logs of a failed run are kept. */
  const counted =
    (test: () => Promise<void>): (() => Promise<void>) =>
    async () => {
      try {
        await test();
      } catch (error) {
        failures += 1;
        throw error;
      }
    };

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'conveyor-faults-'));
    env = await setUpDemoEnvironment({
      workDir,
      environments: [{ name: 'prod', idPrefix: 'web', servers: SERVERS }],
      initialVersion: '0.9.0',
      replicas: 2,
      reloadableHaproxy: true,
      log: () => undefined,
      serviceEnv: { orchestrator: { ORCHESTRATOR_AGENT_SILENCE_MS: '10000' } },
    });
    // The clients talk to the second pipeline replica: the first is among those killed.
    const admin = new PipelineClient(env.replicas.pipeline[1].url, env.adminToken);
    actors = {
      ci: admin.as(await admin.createToken('jenkins', 'ci')),
      deployer: admin.as(await admin.createToken('release-manager', 'deployer')),
      approvers: [
        admin.as(await admin.createToken('alice', 'approver')),
        admin.as(await admin.createToken('bob', 'approver')),
      ],
    };
    auditorToken = await admin.createToken('audrey', 'auditor');
    operatorToken = await admin.createToken('olivia', 'deployer');
    await actors.deployer.applyManifest(SERVICE, manifest(env));
    load = new LoadGenerator({ url: env.haproxy['prod'].onlineUrl, concurrency: 4, slowShare: 0.25 });
    load.start();
  }, 300_000);

  afterAll(async () => {
    await load?.stop();
    for (const agent of env?.fleets['prod']?.agents ?? [])
      await writeFile(join(workDir, 'logs', `agent-${agent.server.id}.log`), agent.output());
    await env?.tearDown();
    // The services' and agents' logs stay for a failed run.
    if (workDir && failures === 0 && process.env['FAULTS_KEEP_LOGS'] === undefined)
      await rm(workDir, { recursive: true, force: true });
    else console.log(`fault suite: logs kept in ${workDir}/logs`);
  }, 120_000);

  /** Everything a user would check after a run, in one object, so a failure shows all of it. */
  const seen = (run: FaultRun) => ({
    fault: run.fault,
    injected: run.injectedAfterMs !== null,
    status: run.status,
    reason: run.reason,
    versions: run.versions,
    pool: run.pool,
    floorBelow: run.floor.below,
    stepsRunTwice: run.stepsRunTwice,
    servesNewVersion: Object.values(run.versions).includes(run.version),
    observations: run.observations,
  });
  /**
   * A terminal outcome that tells the truth: `succeeded` with the new version everywhere,
   * `rolled_back` with no server on it, `failed` listing what each server serves.
   */
  const truthfulOutcome = (run: FaultRun) => {
    switch (run.status) {
      case 'succeeded':
        return { versions: everyServer(run.version) };
      case 'rolled_back':
        return { servesNewVersion: false };
      case 'failed':
        return { versions: run.reported ?? 'the recorded outcome lists no server versions' };
      default:
        return { status: 'succeeded, rolled_back or failed' };
    }
  };
  const everyServer = (value: string) =>
    Object.fromEntries(env.fleets['prod'].servers.map((server) => [server.id, value]));

  // FAULTS_ONLY=<text> runs only the faults whose name contains it (when working on one).
  const only = process.env['FAULTS_ONLY'];
  for (const [index, fault] of FAULTS.entries()) {
    (only === undefined || fault.name.includes(only) ? it : it.skip)(
      `ends true: ${fault.name}`,
      counted(async () => {
        const version = `1.${index + 1}.0`;
        const artifact = await holdingRelease(env, version, fault.deploySeconds);
        const run = await rolloutWithFault(
          env,
          actors,
          { service: SERVICE, artifact, buildNumber: 200 + index, floor: FLOOR },
          fault,
          240_000,
        );
        runs.push(run);
        expect(seen(run)).toEqual({
          ...seen(run),
          injected: true,
          ...(fault.expect === 'succeeded'
            ? { status: 'succeeded', versions: everyServer(version) }
            : truthfulOutcome(run)),
          pool: everyServer('UP'),
          floorBelow: [],
          stepsRunTwice: [],
        });
        if (fault.name.startsWith('HAProxy reloaded')) {
          expect(run.observations.join(' ')).toMatch(/web-3=(MAINT|DRAIN)/);
        }
      }),
      300_000,
    );
  }

  it(
    'rolls a release whose canary fails back while its agent is killed mid-rollback: no server on it',
    counted(async () => {
      const version = '1.99.0';
      const before = await currentVersions(env);
      // Broken on the canary only, and its own validate hook does not look: the real verifier
      // fails the batch and the orchestrator rolls the canary back through its agent.
      const artifact = await env.buildArtifact(
        version,
        { onServersPrefixed: 'web-1' },
        { validate: { timeoutSeconds: 10, linux: 'exit 0' } },
      );
      const run = await rolloutWithFault(
        env,
        actors,
        { service: SERVICE, artifact, buildNumber: 299, floor: FLOOR },
        {
          name: 'the canary agent SIGKILLed while it rolls back, restarted 3 s later',
          at: { server: 'web-1', step: 'rolling_back' },
          // Inside the rollback, after its agent journalled it (a kill before that is a step never begun).
          delayMs: 300,
          expect: 'truthful',
          inject: async (e) => {
            const agent = e.fleets['prod'].agent('web-1');
            await agent.kill();
            await sleep(3_000);
            await agent.start();
            return ['agent web-1 SIGKILLed mid-rollback, restarted after 3 s'];
          },
        },
        240_000,
      );
      runs.push(run);
      expect(seen(run)).toEqual({
        ...seen(run),
        injected: true,
        status: 'rolled_back',
        versions: before,
        pool: everyServer('UP'),
        floorBelow: [],
        stepsRunTwice: [],
      });
    }),
    300_000,
  );

  // Operators' controls from the `conveyor` command, against the live rollout.
  const cli = (args: string[], otherSettings: Record<string, string> = {}) =>
    conveyorCli(args, env.replicas.pipeline[1].url, operatorToken, otherSettings);
  const allUp = () => describePool(everyServer('UP'));
  const controlTest = (name: string) => (only === undefined || name.includes(only) ? it : it.skip);

  const pauseName =
    'pauses from the CLI at a batch boundary with every server in the pool, leaves a host out, resumes: the rest roll out';
  controlTest(pauseName)(
    pauseName,
    counted(async () => {
      const version = '1.210.0';
      const before = await currentVersions(env);
      const artifact = await holdingRelease(env, version, 2);
      const run = await rolloutWithFault(
        env,
        actors,
        { service: SERVICE, artifact, buildNumber: 310, floor: FLOOR },
        {
          name: 'the operator pauses while the canary deploys, excludes web-4, resumes',
          at: { server: 'web-1', step: 'deploying' },
          expect: 'succeeded',
          inject: async (e, deploymentId) => {
            const seenHere: string[] = [];
            const pause = ['deployments', 'pause', deploymentId];
            seenHere.push(describeRun(pause, await cli(pause)));
            const paused = await waitFor(
              'the rollout to pause',
              async () => {
                const view = await actors.deployer.deployment(deploymentId).catch(() => undefined);
                return view?.status === 'paused' ? view : undefined;
              },
              { timeoutMs: 120_000, intervalMs: 200 },
            );
            seenHere.push(
              `paused at: ${Object.entries(paused.servers)
                .map(([server, view]) => `${server}=${view.step}`)
                .join(' ')}`,
            );
            seenHere.push(`pool when paused: ${describePool(await poolStates(e))}`);
            await sleep(3_000);
            seenHere.push(`pool 3 s later: ${describePool(await poolStates(e))}`);
            const exclude = [
              'deployments',
              'exclude-host',
              deploymentId,
              'web-4',
              '--reason',
              'disk replaced tonight',
            ];
            seenHere.push(describeRun(exclude, await cli(exclude)));
            const resume = ['deployments', 'resume', deploymentId];
            seenHere.push(describeRun(resume, await cli(resume)));
            return seenHere;
          },
        },
        240_000,
      );
      runs.push(run);
      expect(seen(run)).toEqual({
        ...seen(run),
        injected: true,
        status: 'succeeded',
        versions: { 'web-1': version, 'web-2': version, 'web-3': version, 'web-4': before['web-4'] },
        pool: everyServer('UP'),
        floorBelow: [],
        stepsRunTwice: [],
      });
      const commands = run.observations.filter((line) => line.startsWith('conveyor '));
      expect(commands.map((line) => / → exit 0:/.test(line))).toEqual([true, true, true]);
      // Paused after the canary's batch, which is back in the pool: nothing held out while nobody moves it on.
      expect(run.observations).toContain(`pool when paused: ${allUp()}`);
      expect(run.observations).toContain(`pool 3 s later: ${allUp()}`);
    }),
    300_000,
  );

  const abortName =
    'aborts from the CLI mid-batch: the batch in flight is rolled back, never left out of the pool';
  controlTest(abortName)(
    abortName,
    counted(async () => {
      const version = '1.220.0';
      const before = await currentVersions(env);
      const artifact = await holdingRelease(env, version, 3);
      const run = await rolloutWithFault(
        env,
        actors,
        { service: SERVICE, artifact, buildNumber: 320, floor: FLOOR },
        {
          name: 'the operator aborts while web-2 deploys',
          at: { server: 'web-2', step: 'deploying' },
          delayMs: 500,
          expect: 'truthful',
          inject: async (_e, deploymentId) => {
            const abort = ['deployments', 'abort', deploymentId, '--reason', 'wrong build promoted'];
            return [describeRun(abort, await cli(abort))];
          },
        },
        240_000,
      );
      runs.push(run);
      expect(seen(run)).toEqual({
        ...seen(run),
        injected: true,
        status: 'aborted',
        // The canary's batch was done and stays; web-2, mid-deploy, is rolled back; the rest untouched.
        versions: { ...before, 'web-1': version },
        pool: everyServer('UP'),
        floorBelow: [],
        stepsRunTwice: [],
      });
      expect(run.observations.join(' ')).toMatch(/ → exit 0:/);
    }),
    300_000,
  );

  // The last rollout of the suite: it leaves web-3's agent dead and web-3 out of the pool.
  (only === undefined || 'the deploying agent SIGKILLed and never restarted'.includes(only) ? it : it.skip)(
    'ends failed, naming the server, when the deploying agent dies for good: the other servers stay in, the floor holds',
    counted(async () => {
      const version = '1.100.0';
      const artifact = await holdingRelease(env, version, 3);
      const run = await rolloutWithFault(
        env,
        actors,
        { service: SERVICE, artifact, buildNumber: 300, floor: FLOOR },
        {
          name: 'the deploying agent SIGKILLed and never restarted',
          at: { server: 'web-3', step: 'deploying' },
          delayMs: 1_500,
          expect: 'truthful',
          inject: async (e) => {
            await e.fleets['prod'].agent('web-3').kill();
            return ['agent web-3 SIGKILLed for good'];
          },
        },
        240_000,
      );
      runs.push(run);
      const others = (versions: Record<string, string> | null) =>
        Object.fromEntries(Object.entries(versions ?? {}).filter(([id]) => id !== 'web-3'));
      expect({ ...seen(run), reportedOthers: others(run.reported), web3: run.reported?.['web-3'] }).toEqual({
        ...seen(run),
        injected: true,
        status: 'failed',
        reportedOthers: others(run.versions),
        // Nobody can say what a server whose agent is gone serves: the outcome says so.
        web3: 'unknown version',
        pool: { 'web-1': 'UP', 'web-2': 'UP', 'web-3': 'MAINT', 'web-4': 'UP' },
        floorBelow: [],
        stepsRunTwice: [],
      });
      expect(run.reason).toContain('web-3');

      // Discovery says so too: `conveyor agents` marks web-3 silent, the others online on what they serve.
      const args = ['--json', 'agents', '--facts', 'role=web'];
      const listed = await waitFor(
        'web-3 to be listed silent',
        async () => {
          const answer = await cli(args, { CONVEYOR_ORCHESTRATOR_URL: env.replicas.orchestrator[1].url });
          if (answer.code !== 0) throw new Error(describeRun(args, answer));
          const agents = JSON.parse(answer.stdout) as {
            nodeId: string;
            status: string;
            currentVersion: string;
          }[];
          return agents.find((agent) => agent.nodeId === 'web-3')?.status === 'silent' ? agents : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 1_000 },
      );
      expect(Object.fromEntries(listed.map((agent) => [agent.nodeId, agent.status]))).toEqual({
        ...everyServer('online'),
        'web-3': 'silent',
      });
      expect(
        Object.fromEntries(
          listed.filter((a) => a.nodeId !== 'web-3').map((a) => [a.nodeId, a.currentVersion]),
        ),
      ).toEqual(others(run.versions));
    }),
    300_000,
  );

  it(
    'failed no customer request, and the audit export verifies with every event once',
    counted(async () => {
      loadFigures = await load.stop();
      expect(loadFigures.sent).toBeGreaterThan(100);
      expect(loadFigures.slow).toBeGreaterThan(0);
      expect(loadFigures.failures).toEqual([]);
      expect(loadFigures.failed).toBe(0);

      const versions = await currentVersions(env);
      expect(versions).toEqual(runs.at(-1)?.versions);

      // The audit chain is appended asynchronously: give it the events still in flight.
      await sleep(3_000);
      const audit = await verifyAuditExport(env, workDir, auditorToken);
      expect(audit).toMatchObject({ verified: true });
      const ids = (await readFile(audit.exportPath, 'utf8'))
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => (JSON.parse(line) as { eventId: string }).eventId);
      const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
      expect(repeated).toEqual([]);
    }),
    120_000,
  );
});

/** Production only: four servers, one at a time after a canary, the floor one below the fleet. */
function manifest(env: DemoEnvironment): string {
  return stringify({
    service: SERVICE,
    description: 'The sample service, rolled out under faults.',
    environments: {
      prod: {
        pool: `${SERVICE}-prod`,
        servers: env.fleets['prod'].servers.map((s) => ({ id: s.id, address: `127.0.0.1:${s.port}` })),
        strategy: {
          batchSize: 1,
          canary: 1,
          minHealthy: FLOOR,
          drainTimeoutSeconds: 15,
          onFailure: 'rollback',
          stepTimeoutSeconds: 60,
        },
        verification: {
          health: {
            path: '/health',
            expectStatus: 200,
            versionField: 'version',
            intervalMs: 200,
            timeoutSeconds: 20,
          },
          timeoutSeconds: 60,
        },
        approvals: { required: 2, separationOfDuties: true, expiresAfterHours: 24 },
      },
    },
  });
}
