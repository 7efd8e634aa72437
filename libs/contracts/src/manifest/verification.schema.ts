import { z } from 'zod';

export const healthCheckSchema = z.object({
  path: z.string().startsWith('/').default('/health'),
  expectStatus: z.number().int().min(100).max(599).default(200),
  /** Substring the body must contain. */
  bodyContains: z.string().optional(),
  /** A JSON field (dot path) that must equal the version being deployed, e.g. `version`. */
  versionField: z.string().optional(),
  intervalMs: z.number().int().min(50).max(60_000).default(500),
  /** The warm-up window: how long a server may take to answer correctly. */
  timeoutSeconds: z.number().int().min(1).max(3600).default(60),
  /** How long one request may take before it counts as no answer. */
  requestTimeoutMs: z.number().int().min(100).max(60_000).default(5_000),
});

export const smokeSuiteSchema = z.object({
  name: z.string().min(1),
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  timeoutSeconds: z.number().int().min(1).max(7200).default(300),
  /** A JUnit or NUnit result file the suite writes, relative to its working directory. */
  resultFile: z.string().optional(),
});

/**
 * How testers reach a server while customers cannot: the pool's maintenance frontend in HAProxy,
 * whose backend sends each request to the server named in `serverHeader`
 * (`use-server <id> if { req.hdr(<header>) -m str <id> }`, with `force-persist` for that header and
 * `no option redispatch`, so a request for a server that is down fails instead of reaching another).
 */
export const maintenanceAccessSchema = z.object({
  address: z.string().regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port'),
  serverHeader: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name')
    .default('X-Conveyor-Server'),
});
export type MaintenanceAccess = z.infer<typeof maintenanceAccessSchema>;

export const verificationSpecSchema = z
  .object({
    health: healthCheckSchema.default({
      path: '/health',
      expectStatus: 200,
      intervalMs: 500,
      timeoutSeconds: 60,
      requestTimeoutMs: 5_000,
    }),
    smoke: z.array(smokeSuiteSchema).default([]),
    /** Inconclusive results fail the gate unless the manifest lowers this explicitly. */
    allowInconclusive: z.boolean().default(false),
    concurrency: z.number().int().min(1).max(64).default(4),
    timeoutSeconds: z.number().int().min(1).max(7200).default(600),
    /** After the last batch, watch the online servers this long (0 = no bake window). */
    bakeSeconds: z.number().int().min(0).max(86_400).default(0),
    /** The pool's maintenance frontend; when set, checks and smoke suites go through it (see `via`). */
    maintenance: maintenanceAccessSchema.optional(),
    /**
     * Where checks and smoke suites reach a server under deployment: through the maintenance backend
     * (the default when `maintenance` is set), or the server's own address (`direct`). The bake
     * window watches servers back online, always directly.
     */
    via: z.enum(['direct', 'maintenance-backend']).optional(),
  })
  .refine((spec) => spec.via !== 'maintenance-backend' || spec.maintenance !== undefined, {
    message: "via: maintenance-backend needs maintenance.address (the pool's maintenance frontend)",
    path: ['via'],
  });
export type VerificationSpec = z.infer<typeof verificationSpecSchema>;
