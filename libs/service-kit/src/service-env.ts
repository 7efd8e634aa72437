import { z } from 'zod';

const amqpUrl = z
  .string({ error: 'is required (e.g. amqp://guest:guest@127.0.0.1:5672/)' })
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'amqp:' || url.protocol === 'amqps:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an amqp:// or amqps:// URL with a host (e.g. amqp://guest:guest@127.0.0.1:5672/)');

const postgresUrl = z
  .string({ error: 'is required (e.g. postgres://postgres@127.0.0.1:5432/conveyor)' })
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.pathname.length > 1;
    } catch {
      return false;
    }
  }, 'must be a postgres:// URL with a database name (e.g. postgres://postgres@127.0.0.1:5432/conveyor)');

const retryDelays = z
  .string()
  .transform((value, ctx) => {
    const delays = value.split(',').map((part) => Number(part.trim()));
    if (delays.length === 0 || delays.some((d) => !Number.isInteger(d) || d < 10 || d > 86_400_000)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'must be comma-separated whole milliseconds from 10 to 86400000 (e.g. 1000,5000,30000,120000)',
      });
      return z.NEVER;
    }
    return delays;
  })
  .or(z.array(z.number().int().min(10).max(86_400_000)).min(1));

const port = z.coerce
  .number({ error: 'must be a port number' })
  .int('must be a port number')
  .min(1, 'must be a port number from 1 to 65535')
  .max(65535, 'must be a port number from 1 to 65535');

/** The variables every Conveyor service reads; each service extends it with its own. */
export const baseServiceEnv = z.object({
  AMQP_URL: amqpUrl,
  DATABASE_URL: postgresUrl,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  AMQP_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  AMQP_PREFETCH: z.coerce.number().int().min(1).max(10_000).default(32),
  AMQP_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  /** Delay of each broker retry level, comma-separated milliseconds (the last repeats). */
  AMQP_RETRY_DELAYS_MS: retryDelays.default([1_000, 5_000, 30_000, 120_000]),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
});

/** What `main.ts migrate` reads: the schema owner's login, used for migrations only. */
export const migrationEnv = z.object({
  DATABASE_MIGRATION_URL: postgresUrl,
});
export type MigrationEnv = z.infer<typeof migrationEnv>;

export function serviceEnv(defaultPort: number) {
  return baseServiceEnv.extend({ PORT: port.default(defaultPort) });
}
export type ServiceEnv = z.infer<ReturnType<typeof serviceEnv>>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly service: string,
    readonly problems: string[],
  ) {
    super(
      `${service} cannot start, its environment is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
}

/** Validates the environment once, at start; the error names every wrong or missing variable. */
export function loadEnv<S extends z.ZodType>(
  service: string,
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = issue.path.join('.');
    const missing = issue.code === 'invalid_type' && env[name] === undefined;
    return `${name}: ${missing ? 'is required' : issue.message}`;
  });
  throw new ConfigError(service, problems);
}
