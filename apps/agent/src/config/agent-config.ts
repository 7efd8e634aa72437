import { hostname } from 'node:os';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { facts as factsSchema, formatIssues } from '@conveyor/contracts';
import { loadTrustedKeys, type TrustedKeys } from '@conveyor/command-signing';
import { readTrustedKeyPems } from './trusted-keys.reader';

/** Everything an agent needs, validated once at start. */
export interface AgentConfig {
  nodeId: string;
  amqpUrl: string;
  /** <base>/releases/<version>, <base>/current, <base>/state. */
  baseDir: string;
  trustedKeys: TrustedKeys;
  /** What this agent says about itself and what commands select on (service, environment, role, os, address…). */
  facts: Record<string, string>;
  /** The port the app listens on, handed to hooks as CONVEYOR_PORT. */
  serverPort: number;
  heartbeatMs: number;
  keepReleases: number;
}

export class AgentConfigError extends Error {
  override readonly name = 'AgentConfigError';
  constructor(readonly problems: readonly string[]) {
    super(
      `the agent cannot start; fix its environment:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
  }
}

const integer = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .pipe(z.number().min(min, `${name} must be at least ${min}`).max(max, `${name} must be at most ${max}`));

const envSchema = z.object({
  NODE_ID: z
    .string({ error: 'NODE_ID is required' })
    .regex(
      /^[a-z0-9][a-z0-9._-]{0,62}$/i,
      'NODE_ID must be 1-63 letters, digits, dots, dashes or underscores',
    ),
  AMQP_URL: z
    .string({ error: 'AMQP_URL is required' })
    .regex(/^amqps?:\/\/\S+$/, 'AMQP_URL must be an amqp:// or amqps:// URL'),
  AGENT_BASE_DIR: z
    .string({ error: 'AGENT_BASE_DIR is required' })
    .refine(isAbsolute, 'AGENT_BASE_DIR must be an absolute path'),
  AGENT_TRUSTED_KEYS: z
    .string({
      error: 'AGENT_TRUSTED_KEYS is required (PEM text or paths of .pub.pem files, comma-separated)',
    })
    .trim()
    .min(1, 'AGENT_TRUSTED_KEYS must not be empty'),
  SERVER_PORT: integer('SERVER_PORT', 1, 65535),
  HEARTBEAT_MS: integer('HEARTBEAT_MS', 100, 600_000).default(5000),
  KEEP_RELEASES: integer('KEEP_RELEASES', 2, 20).default(3),
  AGENT_FACTS: z.string().optional(),
});

const FACT_PREFIX = 'AGENT_FACT_';

/** Facts from AGENT_FACTS (a JSON object) and AGENT_FACT_<NAME> variables (which win); names are lower-cased. */
export function factsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  problems: string[],
): Record<string, string> {
  const merged: Record<string, unknown> = {};
  const json = env['AGENT_FACTS'];
  if (json !== undefined && json.trim() !== '') {
    const fromJson = parseJsonObject(json);
    if (fromJson === undefined)
      problems.push('AGENT_FACTS: must be a JSON object of strings, e.g. {"service":"billing"}');
    else Object.assign(merged, fromJson);
  }
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith(FACT_PREFIX) && value !== undefined)
      merged[name.slice(FACT_PREFIX.length).toLowerCase()] = value;
  }
  const parsed = factsSchema.safeParse(merged);
  if (!parsed.success) {
    problems.push(`AGENT_FACTS / AGENT_FACT_*: ${formatIssues(parsed.error)}`);
    return {};
  }
  return parsed.data;
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Facts every agent has even when not configured: its os and the address HTTP checks reach it at. */
export function defaultFacts(
  serverPort: number,
  platform: NodeJS.Platform = process.platform,
): Record<string, string> {
  return { os: platform === 'win32' ? 'windows' : platform, address: `${hostname()}:${serverPort}` };
}

/**
 * Reads and validates the agent's environment. Throws AgentConfigError naming every wrong or
 * missing variable at once (never a secret: key material is not echoed).
 */
export function loadAgentConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): AgentConfig {
  const problems: string[] = [];
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) problems.push(...formatIssues(parsed.error).split('; '));
  const facts = factsFromEnv(env, problems);
  let trustedKeys: TrustedKeys | undefined;
  const keysText = env['AGENT_TRUSTED_KEYS'];
  if (keysText !== undefined && keysText.trim() !== '') {
    try {
      trustedKeys = loadTrustedKeys(readTrustedKeyPems(keysText));
    } catch (error) {
      problems.push(`AGENT_TRUSTED_KEYS: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (!parsed.success || problems.length > 0 || trustedKeys === undefined)
    throw new AgentConfigError(problems);
  const config = parsed.data;
  return {
    nodeId: config.NODE_ID,
    amqpUrl: config.AMQP_URL,
    baseDir: config.AGENT_BASE_DIR,
    trustedKeys,
    facts: { ...defaultFacts(config.SERVER_PORT), ...facts },
    serverPort: config.SERVER_PORT,
    heartbeatMs: config.HEARTBEAT_MS,
    keepReleases: config.KEEP_RELEASES,
  };
}
