import { errorMessage } from '@conveyor/errors';
import { z } from 'zod';
import { parseRuntimeAddress } from '@conveyor/haproxy';

const identifier = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/i, 'must be 1-63 letters, digits, dots, dashes or underscores');
const backendName = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]+$/, 'must be an HAProxy backend name (letters, digits, _ . : -)');

const socketAddress = z.string().superRefine((value, ctx) => {
  try {
    parseRuntimeAddress(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: errorMessage(error) });
  }
});

export const haproxyInstanceConfig = z.strictObject({
  id: identifier,
  /** Runtime API address: `/path/admin.sock`, `unix:/path`, `host:port`, `tcp://host:port`. */
  socket: socketAddress,
  /** Time allowed for one Runtime API command. */
  timeoutMs: z.number().int().min(50).max(60_000).optional(),
  /**
   * Master CLI of a master-worker HAProxy (`haproxy -W -S <address>`): drains then count the
   * sessions of every worker still running, old ones finishing after a reload included.
   */
  masterSocket: socketAddress.optional(),
  /**
   * The instance's `server-state-file` when the pool manager shares its file system: rewritten
   * (atomically) after every state change the pool manager makes, so a reload keeps them.
   */
  serverStateFile: z
    .string()
    .regex(/^\/[^\0\n]*[^/]$/, 'must be an absolute file path')
    .optional(),
});

export const poolConfig = z.strictObject({
  name: identifier,
  /** Every instance carrying the pool; all are changed together. */
  instances: z.array(identifier).min(1, 'a pool needs at least one instance'),
  /** The customer-facing backend. */
  onlineBackend: backendName,
  /** The backend only testers and the verifier reach. */
  maintenanceBackend: backendName,
});

/** The pools file (YAML or JSON), checked for references and clashes after its shape. */
export const poolsConfigSchema = z
  .strictObject({
    instances: z.array(haproxyInstanceConfig).min(1, 'at least one HAProxy instance is needed'),
    pools: z.array(poolConfig).min(1, 'at least one pool is needed'),
  })
  .superRefine((config, ctx) => {
    for (const problem of crossCheckPools(config))
      ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path });
  });

export type HaproxyInstanceConfig = z.infer<typeof haproxyInstanceConfig>;
export type PoolConfig = z.infer<typeof poolConfig>;
export type PoolsConfig = z.infer<typeof poolsConfigSchema>;

interface Problem {
  message: string;
  path: (string | number)[];
}

/** Duplicate ids and names, unknown instance references, a backend claimed twice. */
export function crossCheckPools(config: {
  instances: HaproxyInstanceConfig[];
  pools: PoolConfig[];
}): Problem[] {
  const problems: Problem[] = [];
  const instanceIds = new Set<string>();
  config.instances.forEach((instance, index) => {
    if (instanceIds.has(instance.id))
      problems.push({
        message: `instance id "${instance.id}" appears twice`,
        path: ['instances', index, 'id'],
      });
    instanceIds.add(instance.id);
  });
  const poolNames = new Set<string>();
  const backendOwners = new Map<string, string>();
  config.pools.forEach((pool, index) => {
    if (poolNames.has(pool.name))
      problems.push({ message: `pool name "${pool.name}" appears twice`, path: ['pools', index, 'name'] });
    poolNames.add(pool.name);
    if (pool.onlineBackend === pool.maintenanceBackend) {
      problems.push({
        message: `pool "${pool.name}": onlineBackend and maintenanceBackend must differ`,
        path: ['pools', index],
      });
    }
    if (new Set(pool.instances).size !== pool.instances.length) {
      problems.push({
        message: `pool "${pool.name}" lists an instance twice`,
        path: ['pools', index, 'instances'],
      });
    }
    pool.instances.forEach((instance, position) => {
      if (!instanceIds.has(instance)) {
        problems.push({
          message: `pool "${pool.name}" names unknown instance "${instance}"`,
          path: ['pools', index, 'instances', position],
        });
      }
      for (const backend of [pool.onlineBackend, pool.maintenanceBackend]) {
        const key = `${instance}/${backend}`;
        const owner = backendOwners.get(key);
        if (owner && owner !== pool.name) {
          problems.push({
            message: `backend "${backend}" on instance "${instance}" belongs to pools "${owner}" and "${pool.name}"`,
            path: ['pools', index],
          });
        }
        backendOwners.set(key, pool.name);
      }
    });
  });
  return problems;
}
