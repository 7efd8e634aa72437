import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createLogger } from '@conveyor/observability';
import { loadAgentConfig } from '../config/agent-config';
import { waitFor } from '@conveyor/testing';
import { AgentHarness } from '../testing/agent-harness';
import { startAgent, type RunningAgent } from './agent-runtime';

const AGENTS = 64;
/** First reconnect window [0, 4 s): wide enough to measure the spread on a busy 2-core machine. */
const BASE_MS = 4000;

/**
 * Many real agents (in-process, each with its own connection, queue and state) lose the broker at
 * the same instant (`rabbitmqctl close_all_connections`): they come back spread over the first
 * back-off window, not all at once, and every one of them comes back and says what it runs.
 */
describe(`${AGENTS} agents reconnect with jittered back-off after the broker drops them`, () => {
  let kit: AgentHarness;
  const agents: RunningAgent[] = [];

  beforeAll(async () => {
    kit = await AgentHarness.create();
    const urlOf = await kit.agentUrls(AGENTS, 'node');
    for (let index = 1; index <= AGENTS; index += 1) {
      const nodeId = `node-${index}`;
      const baseDir = join(kit.dir, nodeId);
      await mkdir(baseDir, { recursive: true });
      const config = loadAgentConfig({
        NODE_ID: nodeId,
        AMQP_URL: urlOf(nodeId),
        AGENT_BASE_DIR: baseDir,
        AGENT_TRUSTED_KEYS: kit.keys.publicKeyPem,
        SERVER_PORT: String(20_000 + index),
        HEARTBEAT_MS: '600000',
        AGENT_RECONNECT_BASE_MS: String(BASE_MS),
        AGENT_RECONNECT_CAP_MS: '30000',
      });
      agents.push(await startAgent(config, createLogger('agent', { level: 'silent' })));
    }
    await kit.waitForEvents('agent.registered', AGENTS);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.stop().catch(() => undefined)));
    await kit?.close();
  }, 60_000);

  it('all come back, spread over the window instead of in one instant', async () => {
    const closing = Date.now();
    // rabbitmqctl takes seconds to start: the connections close somewhere before it returns.
    const closed = await kit.vhost.closeConnections();
    const closedBy = Date.now();
    expect(closed).toBeGreaterThanOrEqual(AGENTS);

    // Each agent announces itself again (reconnected: true) the moment its connection is back.
    const reRegistered = await kit.waitForEvents(
      'agent.registered',
      AGENTS,
      (event) => event.reconnected === true,
      30_000,
    );
    expect(new Set(reRegistered.map((event) => event.nodeId)).size).toBe(AGENTS);

    // When each agent's new connection was made, as the broker saw it.
    const times = await waitFor(
      `${AGENTS} agent connections made after the close`,
      async () => {
        const connections = await brokerConnections(kit.vhost.name);
        const fresh = connections.filter(
          (connection) =>
            connection.user.startsWith('conveyor-agent-node-') && connection.connected_at >= closing,
        );
        return fresh.length >= AGENTS ? fresh.map((connection) => connection.connected_at) : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 500 },
    );
    times.sort((a, b) => a - b);
    const delays = times.map((time) => time - times[0]!);
    const spanMs = delays.at(-1)!;
    const middleHalfMs = delays[Math.floor(AGENTS * 0.75)]! - delays[Math.floor(AGENTS * 0.25)]!;
    const perQuarterSecond = new Map<number, number>();
    for (const delay of delays) {
      const bucket = Math.floor(delay / 250);
      perQuarterSecond.set(bucket, (perQuarterSecond.get(bucket) ?? 0) + 1);
    }
    const busiest = Math.max(...perQuarterSecond.values());
    process.stdout.write(
      `${AGENTS} reconnects (broker connected_at) spread over ${spanMs} ms, middle half over ${middleHalfMs} ms; ` +
        `busiest 250 ms held ${busiest}; last ${times.at(-1)! - closedBy} ms after rabbitmqctl returned; ` +
        `per 250 ms: ${[...perQuarterSecond.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([, n]) => n)
          .join(' ')}\n`,
    );
    // A fixed wait brings every agent back in one burst (all within a few hundred ms); full jitter
    // over [0, 4 s) spreads them: about 4 per quarter second, the middle half over about 2 s.
    expect(spanMs).toBeGreaterThan(BASE_MS / 2);
    expect(middleHalfMs).toBeGreaterThan(BASE_MS / 4);
    expect(busiest).toBeLessThanOrEqual(AGENTS / 4);
    expect(times.at(-1)! - closedBy).toBeLessThan(BASE_MS + 5000);
  }, 60_000);
});

interface BrokerConnection {
  user: string;
  connected_at: number;
}

/** The connections of a vhost, from the management API (guest, inspection only). */
async function brokerConnections(vhost: string): Promise<BrokerConnection[]> {
  const management = process.env['TEST_RABBITMQ_MANAGEMENT_URL'] ?? 'http://127.0.0.1:15672';
  const response = await fetch(`${management}/api/vhosts/${encodeURIComponent(vhost)}/connections`, {
    headers: { authorization: `Basic ${Buffer.from('guest:guest').toString('base64')}` },
  });
  if (!response.ok) throw new Error(`management API: ${response.status} ${await response.text()}`);
  return (await response.json()) as BrokerConnection[];
}
