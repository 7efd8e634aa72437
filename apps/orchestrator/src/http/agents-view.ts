import { identifier } from '@conveyor/contracts';
import { z } from 'zod';
import type { AgentRow } from '../persistence/agent.repository';

export interface AgentView {
  nodeId: string;
  facts: Record<string, string>;
  currentVersion: string | null;
  lastHeartbeatAt: string;
  /** `silent`: not heard for longer than the orchestrator's silence limit. */
  status: 'online' | 'silent';
  silentForMs: number | null;
}

const factPair = z
  .string()
  .regex(/^[^=,]+=[^=,]*$/, 'each fact must be key=value')
  .transform((pair) => pair.split('=') as [string, string])
  .refine(
    ([key]) => identifier.safeParse(key).success,
    'a fact key must be 1-63 letters, digits, dots, dashes or underscores',
  );

/** `GET /agents?facts=os=windows,role=web`: every fact given must match. */
export const agentsQuery = z.object({
  facts: z
    .string()
    .max(2000)
    .optional()
    .transform((text, ctx) => {
      if (text === undefined || text.trim() === '') return {};
      const selected: Record<string, string> = {};
      for (const pair of text.split(',')) {
        const parsed = factPair.safeParse(pair.trim());
        if (!parsed.success) {
          ctx.addIssue({
            code: 'custom',
            message: `"${pair}": ${parsed.error.issues[0]?.message ?? 'invalid'}`,
          });
          return z.NEVER;
        }
        selected[parsed.data[0]] = parsed.data[1];
      }
      return selected;
    }),
});
export type AgentsQuery = z.infer<typeof agentsQuery>;

/** The agents whose facts match every selected one, by node id, each online or silent. Pure. */
export function agentViews(
  rows: readonly AgentRow[],
  selected: Readonly<Record<string, string>>,
  now: number,
  silenceMs: number,
): AgentView[] {
  return rows
    .filter((row) => Object.entries(selected).every(([key, value]) => row.facts[key] === value))
    .map((row) => {
      const quietMs = Math.max(0, now - row.lastHeartbeatAt.getTime());
      const silent = quietMs > silenceMs;
      return {
        nodeId: row.nodeId,
        facts: row.facts,
        currentVersion: row.currentVersion,
        lastHeartbeatAt: row.lastHeartbeatAt.toISOString(),
        status: silent ? ('silent' as const) : ('online' as const),
        silentForMs: silent ? quietMs : null,
      };
    })
    .sort((a, b) => a.nodeId.localeCompare(b.nodeId));
}
