import { repoPath } from './repo-files';

/**
 * The services' own environment schemas and pools parser, loaded from apps/ by path: deploy checks
 * validate the shipped configuration with the code that will read it (a test-only reach across the
 * app boundary, which no production code makes).
 */
export interface SafeParser {
  safeParse(input: unknown): {
    success: boolean;
    error?: { issues: { path: PropertyKey[]; message: string }[] };
  };
}

const SCHEMAS = {
  pipeline: ['apps/pipeline/src/config/pipeline-env.ts', 'pipelineEnvSchema'],
  orchestrator: ['apps/orchestrator/src/config/orchestrator-env.ts', 'orchestratorEnvSchema'],
  'pool-manager': ['apps/pool-manager/src/config/pool-manager-env.ts', 'poolManagerEnv'],
  verifier: ['apps/verifier/src/config/verifier-env.ts', 'verifierEnvSchema'],
  audit: ['apps/audit/src/config/audit-env.ts', 'auditEnvSchema'],
} as const;
export type ServiceName = keyof typeof SCHEMAS;
export const SERVICE_NAMES = Object.keys(SCHEMAS) as ServiceName[];

function load(path: string): Record<string, unknown> {
  // By path on purpose (see above); a computed require is invisible to the module-boundary rule.
  return require(repoPath(path)) as Record<string, unknown>;
}

export function serviceEnvSchema(service: ServiceName): SafeParser {
  const [path, name] = SCHEMAS[service];
  return load(path)[name] as SafeParser;
}

/** Problems `ok: false` for a pools file, as the pool manager reports them at start. */
export function parsePoolsFile(path: string): { ok: true } | { ok: false; problems: string[] } {
  const module = load('apps/pool-manager/src/config/pool-manager-env.ts') as {
    parsePoolsConfig(source: {
      kind: 'file';
      path: string;
    }): { ok: true } | { ok: false; problems: string[] };
  };
  return module.parsePoolsConfig({ kind: 'file', path });
}

/** The agent's `loadAgentConfig` (throws naming every wrong variable). */
export function loadAgentConfig(env: Record<string, string>): {
  nodeId: string;
  facts: Record<string, string>;
} {
  const module = load('apps/agent/src/config/agent-config.ts') as {
    loadAgentConfig(env: Record<string, string>): { nodeId: string; facts: Record<string, string> };
  };
  return module.loadAgentConfig(env);
}

/** What the service would say about this environment at start (empty: it starts). */
export function problemsOf(schema: SafeParser, env: Record<string, string>): string[] {
  const parsed = schema.safeParse(env);
  return parsed.success
    ? []
    : (parsed.error?.issues ?? []).map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`);
}

/** The variable names an environment schema reads (a zod object, or a zod object piped into a transform). */
export function knownVariables(schema: SafeParser): string[] {
  const withShape = (value: unknown): value is { shape: Record<string, unknown> } =>
    typeof value === 'object' &&
    value !== null &&
    'shape' in value &&
    typeof value.shape === 'object' &&
    value.shape !== null;
  if (withShape(schema)) return Object.keys(schema.shape);
  const input = (schema as { in?: unknown }).in;
  if (withShape(input)) return Object.keys(input.shape);
  throw new Error('the environment schema is neither a zod object nor a pipe from one');
}
