import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { serviceEnv, type ServiceEnv } from '@conveyor/service-kit';
import { poolsConfigSchema, type PoolsConfig } from './pools-config.schema';

export const POOL_MANAGER_PORT = 3002;

/** What the service's own code needs, derived from its variables. */
export interface PoolManagerSettings {
  readonly pools: PoolsConfig;
  /** Time between two reconciliations of every instance. */
  readonly reconcileIntervalMs: number;
  /** Time between two looks for new or interrupted operations. */
  readonly operationPollMs: number;
  /** How long a replica's claim on an operation lasts without renewal (renewed every third of it). */
  readonly operationLeaseMs: number;
  /** Default Runtime API timeout of an instance without its own. */
  readonly haproxyTimeoutMs: number;
  /** Time between two `show stat` polls while draining or waiting for health. */
  readonly statePollMs: number;
}

/** Injection token of PoolManagerSettings. */
export const POOL_MANAGER_SETTINGS = Symbol('POOL_MANAGER_SETTINGS');

export type PoolManagerEnv = ServiceEnv & { readonly settings: PoolManagerSettings };

type ConfigSource = { kind: 'file'; path: string } | { kind: 'inline'; text: string };

/** Reads and validates the pools configuration; each problem names where it is. */
export function parsePoolsConfig(
  source: ConfigSource,
): { ok: true; config: PoolsConfig } | { ok: false; problems: string[] } {
  let text: string;
  if (source.kind === 'file') {
    try {
      text = readFileSync(source.path, 'utf8');
    } catch (error) {
      return { ok: false, problems: [`cannot read ${source.path}: ${messageOf(error)}`] };
    }
  } else {
    text = source.text;
  }
  let raw: unknown;
  try {
    // YAML is a superset of JSON: one parser reads both.
    raw = parseYaml(text);
  } catch (error) {
    return { ok: false, problems: [`is not valid YAML or JSON: ${messageOf(error).split('\n')[0]}`] };
  }
  const parsed = poolsConfigSchema.safeParse(raw);
  if (parsed.success) return { ok: true, config: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map(
      (issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`,
    ),
  };
}

/** The pool manager's environment: the common variables, the pools configuration and its timings. */
export const poolManagerEnv = serviceEnv(POOL_MANAGER_PORT)
  .extend({
    POOLS_CONFIG: z.string().min(1).optional(),
    POOLS_CONFIG_JSON: z.string().min(1).optional(),
    RECONCILE_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
    OPERATION_POLL_MS: z.coerce.number().int().min(20).max(10_000).default(200),
    OPERATION_LEASE_MS: z.coerce.number().int().min(1_000).max(600_000).default(10_000),
    HAPROXY_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2000),
    STATE_POLL_MS: z.coerce.number().int().min(20).max(5000).default(100),
  })
  .transform((env, ctx): PoolManagerEnv => {
    const {
      POOLS_CONFIG,
      POOLS_CONFIG_JSON,
      RECONCILE_INTERVAL_MS,
      OPERATION_POLL_MS,
      OPERATION_LEASE_MS,
      HAPROXY_TIMEOUT_MS,
      STATE_POLL_MS,
      ...common
    } = env;
    const fallback = { instances: [], pools: [] } as PoolsConfig;
    let pools = fallback;
    if (POOLS_CONFIG !== undefined && POOLS_CONFIG_JSON !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['POOLS_CONFIG'],
        message: 'set POOLS_CONFIG or POOLS_CONFIG_JSON, not both',
      });
    } else if (POOLS_CONFIG === undefined && POOLS_CONFIG_JSON === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['POOLS_CONFIG'],
        message: 'is required (a YAML/JSON file), or POOLS_CONFIG_JSON (inline)',
      });
    } else {
      const variable = POOLS_CONFIG !== undefined ? 'POOLS_CONFIG' : 'POOLS_CONFIG_JSON';
      const result = parsePoolsConfig(
        POOLS_CONFIG !== undefined
          ? { kind: 'file', path: POOLS_CONFIG }
          : { kind: 'inline', text: POOLS_CONFIG_JSON ?? '' },
      );
      if (result.ok) pools = result.config;
      else
        for (const problem of result.problems)
          ctx.addIssue({ code: 'custom', path: [variable], message: problem });
    }
    return {
      ...common,
      settings: {
        pools,
        reconcileIntervalMs: RECONCILE_INTERVAL_MS,
        operationPollMs: OPERATION_POLL_MS,
        operationLeaseMs: OPERATION_LEASE_MS,
        haproxyTimeoutMs: HAPROXY_TIMEOUT_MS,
        statePollMs: STATE_POLL_MS,
      },
    };
  });

function messageOf(error: unknown): string {
  // Errors from node:fs may come from another realm (jest): check the shape, not the class.
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string')
    return error.message;
  return String(error);
}
