import { z } from 'zod';
import { table } from './text';

/** GET /pools of the pool manager: every pool, instance, backend and server next to its intended state. */
const serverView = z.looseObject({
  server: z.string(),
  state: z.string(),
  status: z.string(),
  sessions: z.number(),
  weight: z.number().nullable(),
  intended: z.string().nullable(),
  drift: z.boolean(),
});
const instanceView = z.union([
  z.looseObject({
    instance: z.string(),
    reachable: z.literal(true),
    backends: z.array(
      z.looseObject({
        role: z.string(),
        backend: z.string(),
        present: z.boolean(),
        servers: z.array(serverView),
      }),
    ),
  }),
  z.looseObject({ instance: z.string(), reachable: z.literal(false), error: z.string() }),
]);
export const poolsAnswer = z.looseObject({
  pools: z.array(
    z.looseObject({
      pool: z.string(),
      onlineBackend: z.string(),
      maintenanceBackend: z.string(),
      instances: z.array(instanceView),
    }),
  ),
});
export type PoolsAnswer = z.infer<typeof poolsAnswer>;

/** The pools as a table per pool: one row per instance, backend and server; drift and unreachable instances said in words. Pure. */
export function describePools(answer: PoolsAnswer): string[] {
  if (answer.pools.length === 0) return ['no pools configured'];
  const lines: string[] = [];
  for (const pool of answer.pools) {
    if (lines.length > 0) lines.push('');
    lines.push(
      `pool ${pool.pool} (online backend ${pool.onlineBackend}, maintenance backend ${pool.maintenanceBackend})`,
    );
    const rows: string[][] = [
      ['  INSTANCE', 'BACKEND', 'SERVER', 'STATE', 'HAPROXY', 'SESSIONS', 'WEIGHT', 'INTENDED'],
    ];
    const problems: string[] = [];
    for (const instance of pool.instances) {
      if (!instance.reachable) {
        problems.push(`  ! ${instance.instance} unreachable: ${instance.error}`);
        continue;
      }
      for (const backend of instance.backends) {
        if (!backend.present)
          problems.push(`  ! ${instance.instance}: backend ${backend.backend} (${backend.role}) is missing`);
        for (const s of backend.servers) {
          rows.push([
            `  ${instance.instance}`,
            `${backend.role} ${backend.backend}`,
            s.server,
            s.state,
            s.status,
            String(s.sessions),
            s.weight === null ? '-' : String(s.weight),
            s.drift ? `${s.intended ?? '?'} (DRIFT)` : (s.intended ?? '-'),
          ]);
        }
      }
    }
    if (rows.length > 1) lines.push(...table(rows));
    lines.push(...problems);
  }
  return lines;
}
