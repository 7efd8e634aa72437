import { z } from 'zod';
import { formatDuration, table } from './text';

/** `GET /agents` of the orchestrator. */
export const agentsAnswer = z.array(
  z.looseObject({
    nodeId: z.string(),
    facts: z.record(z.string(), z.string()),
    currentVersion: z.string().nullable(),
    lastHeartbeatAt: z.string(),
    status: z.enum(['online', 'silent']),
    silentForMs: z.number().nullable(),
  }),
);
export type AgentsAnswer = z.infer<typeof agentsAnswer>;

/** One row per agent: node, version, online or silent (for how long), last heartbeat, facts. Pure. */
export function describeAgents(agents: AgentsAnswer): string[] {
  if (agents.length === 0) return ['no agent matches'];
  return table([
    ['NODE', 'VERSION', 'STATUS', 'LAST HEARTBEAT', 'FACTS'],
    ...agents.map((agent) => [
      agent.nodeId,
      agent.currentVersion ?? '-',
      agent.status === 'silent' && agent.silentForMs !== null
        ? `SILENT ${formatDuration(agent.silentForMs)}`
        : agent.status,
      agent.lastHeartbeatAt,
      Object.entries(agent.facts)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, value]) => `${key}=${value}`)
        .join(' '),
    ]),
  ]);
}

/** `--facts os=windows --facts role=web` (or `os=windows,role=web`): the query's `facts`. Pure. */
export function factsQuery(pairs: readonly string[]): string | undefined {
  const all = pairs
    .flatMap((pair) => pair.split(','))
    .map((pair) => pair.trim())
    .filter((pair) => pair !== '');
  return all.length === 0 ? undefined : all.join(',');
}
