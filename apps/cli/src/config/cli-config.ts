import { errorMessage } from '@conveyor/errors';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * Where the CLI finds its services and tokens. Pure: the caller reads the file and the
 * environment; this decides. Precedence: flags > environment > config file.
 */
export const SETTINGS = {
  url: { flag: '--url', env: 'CONVEYOR_URL', what: 'pipeline URL', isUrl: true },
  token: { flag: '--token', env: 'CONVEYOR_TOKEN', what: 'API token', isUrl: false },
  auditUrl: { flag: '--audit-url', env: 'CONVEYOR_AUDIT_URL', what: 'audit service URL', isUrl: true },
  auditToken: {
    flag: '--audit-token',
    env: 'CONVEYOR_AUDIT_TOKEN',
    what: 'audit API token (default: the pipeline API token)',
    isUrl: false,
  },
  poolsUrl: { flag: '--pools-url', env: 'CONVEYOR_POOLS_URL', what: 'pool manager URL', isUrl: true },
  orchestratorUrl: {
    flag: '--orchestrator-url',
    env: 'CONVEYOR_ORCHESTRATOR_URL',
    what: 'orchestrator URL',
    isUrl: true,
  },
} as const;
export type SettingKey = keyof typeof SETTINGS;
export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

export type SettingSource = 'flag' | 'env' | 'file';
export interface Setting {
  value: string;
  source: SettingSource;
}

export interface ConfigSources {
  flags: Partial<Record<SettingKey, string>>;
  env: Readonly<Record<string, string | undefined>>;
  /** The config file: its path, whether the user named it (--config / CONVEYOR_CONFIG), and its text (null: absent). */
  file: { path: string; explicit: boolean; contents: string | null };
}

export interface CliConfig {
  configPath: string;
  settings: Partial<Record<SettingKey, Setting>>;
}

export type ConfigResult = { ok: true; config: CliConfig } | { ok: false; problems: string[] };

const configFileSchema = z.strictObject(
  Object.fromEntries(
    SETTING_KEYS.map((key) => [
      key,
      z.string({ error: 'must be a string' }).min(1, 'must not be empty').optional(),
    ]),
  ) as Record<SettingKey, z.ZodOptional<z.ZodString>>,
);

/** The config file path: --config, then CONVEYOR_CONFIG, then $XDG_CONFIG_HOME/conveyor/config.json, then ~/.config/conveyor/config.json. */
export function configFilePath(
  flag: string | undefined,
  env: ConfigSources['env'],
  homeDir: string,
): { path: string; explicit: boolean } {
  if (flag !== undefined && flag !== '') return { path: flag, explicit: true };
  const fromEnv = env['CONVEYOR_CONFIG'];
  if (fromEnv !== undefined && fromEnv !== '') return { path: fromEnv, explicit: true };
  const base =
    env['XDG_CONFIG_HOME'] !== undefined && env['XDG_CONFIG_HOME'] !== ''
      ? env['XDG_CONFIG_HOME']
      : join(homeDir, '.config');
  return { path: join(base, 'conveyor', 'config.json'), explicit: false };
}

export function resolveConfig(sources: ConfigSources): ConfigResult {
  const problems: string[] = [];
  const fromFile = parseConfigFile(sources.file, problems);
  const settings: Partial<Record<SettingKey, Setting>> = {};
  for (const key of SETTING_KEYS) {
    const spec = SETTINGS[key];
    const candidates: [string | undefined, SettingSource, string][] = [
      [sources.flags[key], 'flag', spec.flag],
      [sources.env[spec.env], 'env', spec.env],
      [fromFile[key], 'file', `"${key}" in ${sources.file.path}`],
    ];
    const chosen = candidates.find(([value]) => value !== undefined && value !== '');
    if (!chosen) continue;
    const [raw, source, where] = chosen as [string, SettingSource, string];
    if (spec.isUrl) {
      const url = normaliseUrl(raw);
      if (url === null) problems.push(`${where}: must be an http:// or https:// URL, got "${raw}"`);
      else settings[key] = { value: url, source };
    } else {
      settings[key] = { value: raw.trim(), source };
    }
  }
  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, config: { configPath: sources.file.path, settings } };
}

function parseConfigFile(
  file: ConfigSources['file'],
  problems: string[],
): Partial<Record<SettingKey, string>> {
  if (file.contents === null) {
    if (file.explicit) problems.push(`config file ${file.path} does not exist`);
    return {};
  }
  let json: unknown;
  try {
    json = JSON.parse(file.contents);
  } catch (error) {
    problems.push(`config file ${file.path} is not valid JSON: ${errorMessage(error)}`);
    return {};
  }
  const parsed = configFileSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      problems.push(
        `config file ${file.path}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (known: ${SETTING_KEYS.join(', ')})`,
      );
    } else {
      problems.push(
        `config file ${file.path}: ${issue.path.length > 0 ? `"${issue.path.join('.')}" ` : ''}${issue.message}`,
      );
    }
  }
  return {};
}

/** An http(s) URL without a trailing slash, or null. */
export function normaliseUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return null;
  return url.toString().replace(/\/+$/, '');
}

/** The sentence telling the user how to give a missing setting. */
export function missingSettingMessage(key: SettingKey, configPath: string): string {
  const spec = SETTINGS[key];
  return `no ${spec.what}: give ${spec.flag}, set ${spec.env}, or put "${key}" in ${configPath}`;
}
