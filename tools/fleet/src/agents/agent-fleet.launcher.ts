import { describeFleet, type FleetServer } from '../fleet/fleet.layout';
import { stopAll } from '../fleet/release.launcher';
import { AgentProcess } from './agent.process';

export interface StartFleetOptions {
  /** How many servers, 1..100: web-1 … web-N. */
  n: number;
  baseDir: string;
  /**
   * Each agent logs into RabbitMQ as its own user `conveyor-agent-<nodeId>` (consumers refuse an
   * agent's event from any other user): the URL for a node id. A plain string is one URL for all
   * (only for a broker where that is allowed).
   */
  amqpUrl: string | ((nodeId: string) => string);
  /** Public keys the agents trust: PEM text or paths of .pub.pem files. */
  trustedKeys: readonly string[];
  /** Facts of every agent (service, environment, role…); each also gets address 127.0.0.1:<its port>. */
  facts?: Readonly<Record<string, string>>;
  heartbeatMs?: number;
  keepReleases?: number;
  /** More environment for every agent (LOG_LEVEL, AGENT_FACT_*, …). */
  env?: Readonly<Record<string, string>>;
  idPrefix?: string;
}

export interface RunningFleet {
  servers: readonly FleetServer[];
  agents: readonly AgentProcess[];
  agent(id: string): AgentProcess;
  /** Stops every agent (SIGTERM), then every app process the agents started. Safe to call twice. */
  stop(): Promise<void>;
}

/** The environment an agent of the local fleet runs with. */
export function agentEnvironment(server: FleetServer, options: StartFleetOptions): Record<string, string> {
  return {
    NODE_ID: server.id,
    AMQP_URL: typeof options.amqpUrl === 'string' ? options.amqpUrl : options.amqpUrl(server.id),
    AGENT_BASE_DIR: server.rootDir,
    AGENT_TRUSTED_KEYS: options.trustedKeys.join('\n'),
    SERVER_PORT: String(server.port),
    HEARTBEAT_MS: String(options.heartbeatMs ?? 2000),
    KEEP_RELEASES: String(options.keepReleases ?? 3),
    AGENT_FACTS: JSON.stringify({ ...options.facts, address: `127.0.0.1:${server.port}` }),
    LOG_LEVEL: 'info',
    ...options.env,
  };
}

/**
 * Starts N local "servers" (describeFleet: own release dir and port), each with its own agent as a
 * child process (`node -r @swc-node/register apps/agent/src/main.ts`). Resolves once every agent is
 * ready; if one fails to start, the others are stopped and the error names it.
 */
export async function startFleet(options: StartFleetOptions): Promise<RunningFleet> {
  const servers = await describeFleet(options.n, options.baseDir, options.idPrefix);
  const agents = servers.map((server) => new AgentProcess(server, agentEnvironment(server, options)));
  const stop = async () => {
    await Promise.all(agents.map((agent) => agent.stop()));
    await stopAll(servers);
  };
  const started = await Promise.allSettled(agents.map((agent) => agent.start()));
  const failure = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure !== undefined) {
    await stop();
    throw failure.reason;
  }
  return {
    servers,
    agents,
    agent(id) {
      const agent = agents.find((candidate) => candidate.server.id === id);
      if (agent === undefined)
        throw new Error(`no agent ${id} in this fleet (${servers.map((server) => server.id).join(', ')})`);
      return agent;
    },
    stop,
  };
}
