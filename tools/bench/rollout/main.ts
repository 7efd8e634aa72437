/**
 * `npm run bench -- rollout [--servers N] [--deploy-ms MS] [--drain-ms MS] [--verify-ms MS]`
 *
 * The orchestrator's own cost. A real orchestrator (in-process, real RabbitMQ and PostgreSQL, every
 * transition a transaction with its outbox) rolls a release over N servers in batches of 10%, with
 * simulated participants over the bus: the pool drains in --drain-ms, each agent deploys in
 * --deploy-ms, verification takes --verify-ms and health is instant. The irreducible time is the sum
 * over batches of drain + deploy + verification; the overhead ratio is wall time / irreducible time.
 * The last line is one JSON object.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startService } from '@conveyor/service-kit';
import { createTestDatabase, createTestVhost, waitFor } from '@conveyor/testing';
import { orchestratorService } from '../../../apps/orchestrator/src/orchestrator.boot';
import { serverIds } from '../../../apps/orchestrator/src/testing/deployment.factory';
import {
  orchestratorTestEnv,
  parsedEnv,
  rolloutRequest,
  signingKeys,
} from '../../../apps/orchestrator/src/testing/orchestrator-harness';
import { ScriptedParticipants } from '../../../apps/orchestrator/src/testing/scripted-participants';

const { values } = parseArgs({
  options: {
    servers: { type: 'string', default: '100' },
    'deploy-ms': { type: 'string', default: '2000' },
    'drain-ms': { type: 'string', default: '200' },
    'verify-ms': { type: 'string', default: '200' },
  },
});

function positive(name: string, value: string | undefined, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`--${name} must be a whole number ≥ ${min}, got ${value}`);
  return n;
}

async function main(): Promise<void> {
  const servers = positive('servers', values.servers, 2);
  const delays = {
    deploy: positive('deploy-ms', values['deploy-ms'], 0),
    drain: positive('drain-ms', values['drain-ms'], 0),
    verify: positive('verify-ms', values['verify-ms'], 0),
  };
  const [vhost, database] = await Promise.all([
    createTestVhost('conveyor-bench'),
    createTestDatabase('conveyor_bench'),
  ]);
  const keys = signingKeys();
  const ids = serverIds(servers);
  const participants = new ScriptedParticipants(ids, keys.publicKeyPem, {
    silent: new Set(),
    replyDelayMs: 0,
    stepDelaysMs: delays,
  });
  let orchestrator: Awaited<ReturnType<typeof startService>> | undefined;
  try {
    await participants.start(vhost, database.url);
    const env = parsedEnv(
      orchestratorTestEnv(vhost.urlFor('orchestrator'), database.url, keys.privateKeyPem, {
        ORCHESTRATOR_AGENT_SILENCE_MS: '60000',
      }),
    );
    orchestrator = await startService(orchestratorService, { ...env, DATABASE_POOL_SIZE: 10 });

    const base = rolloutRequest('2.0.0', { batchSize: '10%', canary: null, minHealthy: '90%' });
    const request = {
      ...base,
      deploymentId: randomUUID(),
      environmentSpec: {
        ...base.environmentSpec,
        servers: ids.map((id, i) => ({ id, address: `127.0.0.1:${10000 + i}` })),
      },
    };
    const started = performance.now();
    await participants.send('deployment.requested', request);
    const end = await waitFor(
      'the rollout to end',
      () =>
        participants
          .events()
          .find(
            (e) =>
              e.data['deploymentId'] === request.deploymentId &&
              /^deployment\.(succeeded|failed|rolled_back|aborted|rejected)$/.test(e.type),
          ),
      { timeoutMs: 3_600_000, intervalMs: 10 },
    );
    const seconds = (performance.now() - started) / 1000;
    if (end.type !== 'deployment.succeeded')
      throw new Error(`the rollout ended ${end.type}: ${JSON.stringify(end.data)}`);
    const batches = participants
      .events('deployment.batch.started')
      .filter((e) => e.data['deploymentId'] === request.deploymentId).length;
    const irreducible = (batches * (delays.drain + delays.deploy + delays.verify)) / 1000;
    const figures = {
      bench: 'rollout',
      servers,
      batches,
      seconds: round(seconds),
      irreducible_seconds: round(irreducible),
      overhead_ratio: irreducible > 0 ? round(seconds / irreducible, 3) : null,
    };
    console.log(
      `${servers} servers in ${batches} batches: ${figures.seconds} s, of which ${figures.irreducible_seconds} s drain + deploy + verify; ` +
        `orchestration overhead ${(seconds - irreducible).toFixed(2)} s (${(((seconds - irreducible) / batches) * 1000).toFixed(0)} ms per batch)`,
    );
    console.log(JSON.stringify(figures));
  } finally {
    await orchestrator?.close().catch(() => undefined);
    await participants.stop().catch(() => undefined);
    await Promise.all([vhost.delete(), database.drop()]);
  }
}

function round(n: number, digits = 2): number {
  return Math.round(n * 10 ** digits) / 10 ** digits;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
