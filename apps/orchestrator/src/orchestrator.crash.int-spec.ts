import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import {
  createTestDatabase,
  createTestVhost,
  waitFor,
  type TestDatabase,
  type TestVhost,
} from '@conveyor/testing';
import type { SigningKeyPair } from '@conveyor/signing-keys';
import { ScriptedParticipants, type ParticipantScript } from './testing/scripted-participants';
import { SERVERS, orchestratorTestEnv, rolloutRequest, signingKeys } from './testing/orchestrator-harness';

const ROOT = resolve(__dirname, '../../..');
const REQUIRED_KILLS = 20;
const MAX_ROLLOUTS = 12;
const KILLS_PER_ROLLOUT = 5;

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** The orchestrator as a real process, as `main.ts` runs in production. */
class OrchestratorProcess {
  private child: ChildProcess | undefined;
  private generation = 0;

  constructor(private readonly env: Record<string, string>) {}

  async start(): Promise<void> {
    this.generation += 1;
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/orchestrator/src/main.ts'], {
      cwd: ROOT,
      // A new instance id each time: the dead instance's leases must expire before it is taken over.
      env: {
        ...process.env,
        ...this.env,
        LOG_LEVEL: 'info',
        ORCHESTRATOR_INSTANCE_ID: `crash-test-${this.generation}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const started = new Promise<void>((resolveStarted, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('orchestrator started')) resolveStarted();
      });
      child.once('exit', (code) =>
        reject(new Error(`orchestrator exited with ${code} before it started: ${output.slice(-2000)}`)),
      );
    });
    await started;
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
}

describe('the orchestrator killed (SIGKILL) at random moments of rollouts and restarted', () => {
  let vhost: TestVhost;
  let database: TestDatabase;
  let keys: SigningKeyPair;
  let participants: ScriptedParticipants;
  let orchestrator: OrchestratorProcess | undefined;
  const script: ParticipantScript = { silent: new Set(), replyDelayMs: 30 };

  beforeAll(async () => {
    [vhost, database] = await Promise.all([createTestVhost(), createTestDatabase()]);
    keys = signingKeys();
    participants = new ScriptedParticipants(SERVERS, keys.publicKeyPem, script);
    await participants.start(vhost, database.url);
  });

  afterAll(async () => {
    await orchestrator?.kill();
    await participants?.stop();
    await Promise.all([vhost?.delete(), database?.drop()]);
  });

  it('completes every rollout, runs no step twice and never breaks the floor', async () => {
    const env = orchestratorTestEnv(vhost.urlFor('orchestrator'), database.url, keys.privateKeyPem, {
      PORT: String(await freePort()),
      ORCHESTRATOR_LEASE_MS: '1500',
      AMQP_CONNECT_TIMEOUT_MS: '60000',
    });
    orchestrator = new OrchestratorProcess(env);
    await orchestrator.start();
    const ends = (id: string) =>
      participants
        .events()
        .find(
          (e) =>
            e.data['deploymentId'] === id &&
            [
              'deployment.succeeded',
              'deployment.failed',
              'deployment.rolled_back',
              'deployment.aborted',
            ].includes(e.type),
        );
    let kills = 0;
    let rollouts = 0;

    // The acceptance: killed at 20 random moments. Rollouts go on until 20 kills have happened.
    for (let rollout = 1; kills < REQUIRED_KILLS && rollout <= MAX_ROLLOUTS; rollout++) {
      rollouts = rollout;
      const request = rolloutRequest(`${10 + rollout}.0.0`);
      await participants.send('deployment.requested', request);
      for (let k = 0; k < KILLS_PER_ROLLOUT && !ends(request.deploymentId); k++) {
        await new Promise((r) => setTimeout(r, 100 + Math.floor(Math.random() * 1200)));
        await orchestrator.kill();
        kills += 1;
        await orchestrator.start();
      }
      const end = await waitFor(`rollout ${rollout} to end`, () => ends(request.deploymentId), {
        timeoutMs: 120_000,
        intervalMs: 100,
      });
      expect(end).toEqual({ type: 'deployment.succeeded', data: expect.anything() });
      expect([...participants.versions.values()]).toEqual(Array(SERVERS.length).fill(request.version));
    }

    expect(kills).toBeGreaterThanOrEqual(REQUIRED_KILLS);
    const repeated = [...participants.recorded.executions.entries()].filter(([, count]) => count > 1);
    expect(repeated).toEqual([]);
    expect(participants.recorded.agentSteps).toHaveLength(rollouts * SERVERS.length);
    expect(participants.recorded.floorViolations).toEqual([]);
    expect(participants.recorded.minOnlineSeen).toBeGreaterThanOrEqual(4);
    expect(participants.recorded.commandRejections).toEqual([]);
    expect(participants.online.size).toBe(SERVERS.length);
  }, 600_000);
});
