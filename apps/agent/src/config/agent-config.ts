import { errorMessage } from '@conveyor/errors';
import { hostname } from 'node:os';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { facts as factsSchema, formatIssues } from '@conveyor/contracts';
import { loadTrustedKeys, type TrustedKeys } from '@conveyor/command-signing';
import { readTrustedKeyPems } from './trusted-keys.reader';
import { parseArtifactCredentials, type ArtifactCredentials } from './artifact-credentials';
import { readSecretFile } from './secret-file.reader';
import { forbiddenPassthrough } from '../hooks/hook-process-env';
import type { HostPolicy } from '../steps/step-context';
import type { ReconnectPolicy } from '../runtime/reconnect-backoff';

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
  /** Jittered exponential back-off of reconnects to RabbitMQ (AGENT_RECONNECT_*). */
  reconnect: ReconnectPolicy;
  /** Hook environment, download and unpack limits, artifact credentials. */
  host: HostPolicy;
  /** Things to log once at start (never a secret). */
  warnings: string[];
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
  /** Reconnect back-off: first window, largest window, and how long a connection must last to reset it. */
  AGENT_RECONNECT_BASE_MS: integer('AGENT_RECONNECT_BASE_MS', 10, 60_000).default(500),
  AGENT_RECONNECT_CAP_MS: integer('AGENT_RECONNECT_CAP_MS', 100, 600_000).default(15_000),
  AGENT_RECONNECT_STABLE_MS: integer('AGENT_RECONNECT_STABLE_MS', 1000, 3_600_000).default(60_000),
  AGENT_FACTS: z.string().optional(),
  /** The broker password, in a file only the agent's user can read (AMQP_URL then names only the user). */
  AMQP_PASSWORD_FILE: z.string().refine(isAbsolute, 'AMQP_PASSWORD_FILE must be an absolute path').optional(),
  /** JSON list of { urlPrefix, bearerToken | username+password | header+value }, only the agent's user can read it. */
  ARTIFACT_CREDENTIALS_FILE: z
    .string()
    .refine(isAbsolute, 'ARTIFACT_CREDENTIALS_FILE must be an absolute path')
    .optional(),
  AGENT_DOWNLOAD_DEADLINE_SECONDS: integer('AGENT_DOWNLOAD_DEADLINE_SECONDS', 1, 86_400).default(600),
  AGENT_DOWNLOAD_IDLE_SECONDS: integer('AGENT_DOWNLOAD_IDLE_SECONDS', 1, 3600).default(30),
  AGENT_MAX_EXTRACT_BYTES: integer('AGENT_MAX_EXTRACT_BYTES', 1024, 2 ** 50).default(2 * 1024 ** 3),
  AGENT_MAX_EXTRACT_ENTRIES: integer('AGENT_MAX_EXTRACT_ENTRIES', 1, 10_000_000).default(100_000),
  AGENT_HOOK_KILL_GRACE_MS: integer('AGENT_HOOK_KILL_GRACE_MS', 0, 60_000).default(2000),
  /** Hooks run as this uid/gid (the agent must run as root); the agent's own user when absent. */
  AGENT_HOOK_UID: integer('AGENT_HOOK_UID', 1, 4_294_967_294).optional(),
  AGENT_HOOK_GID: integer('AGENT_HOOK_GID', 1, 4_294_967_294).optional(),
  /** Extra variable names hooks inherit (e.g. JAVA_HOME), comma-separated; never the agent's own. */
  AGENT_HOOK_PASSTHROUGH_ENV: z.string().optional(),
});

/** Names from AGENT_HOOK_PASSTHROUGH_ENV; the agent's own variables are refused. */
export function passthroughFromEnv(text: string | undefined, problems: string[]): string[] {
  const names = (text ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  for (const name of names) {
    if (!/^[A-Za-z_][A-Za-z0-9_()]*$/.test(name))
      problems.push(`AGENT_HOOK_PASSTHROUGH_ENV: ${JSON.stringify(name)} is not a variable name`);
    else if (forbiddenPassthrough(name))
      problems.push(
        `AGENT_HOOK_PASSTHROUGH_ENV: ${name} is the agent's own configuration; hooks never get it`,
      );
  }
  return names;
}

/**
 * The broker URL the agent connects with: AMQP_URL, with the password from AMQP_PASSWORD_FILE
 * when given (AMQP_URL then must name the user and carry no password). A password inside AMQP_URL
 * still works (development) with a warning: it stays in the agent's environment, readable by any
 * process of the same user through /proc/<pid>/environ.
 */
export function brokerUrl(
  amqpUrl: string,
  passwordFile: string | undefined,
  problems: string[],
  warnings: string[],
  readSecret: (variable: string, path: string) => string = readSecretFile,
): string {
  let url: URL;
  try {
    url = new URL(amqpUrl);
  } catch {
    problems.push('AMQP_URL is not a valid URL');
    return amqpUrl;
  }
  if (passwordFile === undefined) {
    if (url.password !== '')
      warnings.push(
        'AMQP_URL carries the broker password in the environment; put it in AMQP_PASSWORD_FILE instead',
      );
    return amqpUrl;
  }
  if (url.password !== '') {
    problems.push(
      'AMQP_URL carries a password and AMQP_PASSWORD_FILE is set: keep the password only in the file',
    );
    return amqpUrl;
  }
  if (url.username === '') {
    problems.push(
      'AMQP_URL must name the broker user (amqp://<user>@host/vhost) when AMQP_PASSWORD_FILE is set',
    );
    return amqpUrl;
  }
  let password: string;
  try {
    password = readSecret('AMQP_PASSWORD_FILE', passwordFile).replace(/\r?\n$/, '');
  } catch (error) {
    problems.push(errorMessage(error));
    return amqpUrl;
  }
  if (password === '') {
    problems.push(`AMQP_PASSWORD_FILE: ${passwordFile} is empty`);
    return amqpUrl;
  }
  url.password = encodeURIComponent(password);
  return url.toString();
}

/** Who hooks run as: AGENT_HOOK_UID (gid defaulting to it); needs an agent running as root. */
export function hookRunAsFrom(
  uid: number | undefined,
  gid: number | undefined,
  agentUid: number | undefined,
  problems: string[],
): { uid: number; gid: number } | undefined {
  if (uid === undefined) {
    if (gid !== undefined) problems.push('AGENT_HOOK_GID needs AGENT_HOOK_UID');
    return undefined;
  }
  if (agentUid !== undefined && agentUid !== 0 && agentUid !== uid) {
    problems.push(
      `AGENT_HOOK_UID: running hooks as uid ${uid} needs the agent to run as root (it runs as uid ${agentUid})`,
    );
    return undefined;
  }
  return { uid, gid: gid ?? uid };
}

function artifactCredentialsFrom(path: string | undefined, problems: string[]): ArtifactCredentials {
  if (path === undefined) return [];
  try {
    return parseArtifactCredentials(
      readSecretFile('ARTIFACT_CREDENTIALS_FILE', path),
      `ARTIFACT_CREDENTIALS_FILE ${path}`,
    );
  } catch (error) {
    problems.push(errorMessage(error));
    return [];
  }
}

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
  const warnings: string[] = [];
  const passthrough = passthroughFromEnv(env['AGENT_HOOK_PASSTHROUGH_ENV'], problems);
  const amqpUrl = parsed.success
    ? brokerUrl(parsed.data.AMQP_URL, parsed.data.AMQP_PASSWORD_FILE, problems, warnings)
    : '';
  const hookRunAs = parsed.success
    ? hookRunAsFrom(parsed.data.AGENT_HOOK_UID, parsed.data.AGENT_HOOK_GID, process.getuid?.(), problems)
    : undefined;
  const artifactCredentials = parsed.success
    ? artifactCredentialsFrom(parsed.data.ARTIFACT_CREDENTIALS_FILE, problems)
    : [];
  let trustedKeys: TrustedKeys | undefined;
  const keysText = env['AGENT_TRUSTED_KEYS'];
  if (keysText !== undefined && keysText.trim() !== '') {
    try {
      trustedKeys = loadTrustedKeys(readTrustedKeyPems(keysText));
    } catch (error) {
      problems.push(`AGENT_TRUSTED_KEYS: ${errorMessage(error)}`);
    }
  }
  if (parsed.success && parsed.data.AGENT_RECONNECT_CAP_MS < parsed.data.AGENT_RECONNECT_BASE_MS)
    problems.push(
      `AGENT_RECONNECT_CAP_MS (${parsed.data.AGENT_RECONNECT_CAP_MS}) must be at least AGENT_RECONNECT_BASE_MS (${parsed.data.AGENT_RECONNECT_BASE_MS})`,
    );
  if (!parsed.success || problems.length > 0 || trustedKeys === undefined)
    throw new AgentConfigError(problems);
  const config = parsed.data;
  return {
    nodeId: config.NODE_ID,
    amqpUrl,
    baseDir: config.AGENT_BASE_DIR,
    trustedKeys,
    facts: { ...defaultFacts(config.SERVER_PORT), ...facts },
    serverPort: config.SERVER_PORT,
    heartbeatMs: config.HEARTBEAT_MS,
    keepReleases: config.KEEP_RELEASES,
    reconnect: {
      baseMs: config.AGENT_RECONNECT_BASE_MS,
      capMs: config.AGENT_RECONNECT_CAP_MS,
      stableMs: config.AGENT_RECONNECT_STABLE_MS,
    },
    host: {
      hookPassthroughEnv: passthrough,
      ...(hookRunAs === undefined ? {} : { hookRunAs }),
      hookKillGraceMs: config.AGENT_HOOK_KILL_GRACE_MS,
      downloadDeadlineMs: config.AGENT_DOWNLOAD_DEADLINE_SECONDS * 1000,
      downloadIdleTimeoutMs: config.AGENT_DOWNLOAD_IDLE_SECONDS * 1000,
      maxExtractBytes: config.AGENT_MAX_EXTRACT_BYTES,
      maxExtractEntries: config.AGENT_MAX_EXTRACT_ENTRIES,
      artifactCredentials,
    },
    warnings,
  };
}
