import type { HookEnv } from '@conveyor/contracts';

/**
 * Variables a hook (and the app it starts) inherits from the agent. Nothing else: the agent's
 * own environment (AMQP_URL, *_FILE paths, anything its service manager set) never reaches a hook.
 */
export const POSIX_INHERITED_VARIABLES = [
  'PATH',
  'HOME',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'TZ',
  'TMPDIR',
] as const;
export const WINDOWS_INHERITED_VARIABLES = [
  'PATH',
  'PATHEXT',
  'SystemRoot',
  'SystemDrive',
  'windir',
  'ComSpec',
  'TEMP',
  'TMP',
  'USERPROFILE',
  'ProgramData',
  'ProgramFiles',
  'ProgramFiles(x86)',
  'ProgramW6432',
  'CommonProgramFiles',
  'APPDATA',
  'LOCALAPPDATA',
  'PSModulePath',
  'NUMBER_OF_PROCESSORS',
  'PROCESSOR_ARCHITECTURE',
  'OS',
  'TZ',
] as const;

/** Names an operator may never pass through to hooks (AGENT_HOOK_PASSTHROUGH_ENV): the agent's own config and secrets. */
export function forbiddenPassthrough(name: string): boolean {
  return /^(AMQP_|AGENT_|ARTIFACT_|NODE_ID$|NODE_OPTIONS$|SERVER_PORT$|HEARTBEAT_MS$|KEEP_RELEASES$|LD_|DYLD_)/i.test(
    name,
  );
}

/**
 * The whole environment of a hook process: the allow-listed variables of the agent's environment,
 * the operator's extra names (AGENT_HOOK_PASSTHROUGH_ENV, never the agent's own), then the
 * CONVEYOR_* hook variables. Pure.
 */
export function hookProcessEnv(
  inherited: Readonly<Record<string, string | undefined>>,
  hookEnv: HookEnv,
  passthrough: readonly string[] = [],
  platform: NodeJS.Platform = process.platform,
): Record<string, string> {
  const allowed: readonly string[] =
    platform === 'win32' ? WINDOWS_INHERITED_VARIABLES : POSIX_INHERITED_VARIABLES;
  const names = [...allowed, ...passthrough.filter((name) => !forbiddenPassthrough(name))];
  const env: Record<string, string> = {};
  const lookup =
    platform === 'win32'
      ? (name: string) =>
          Object.entries(inherited).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1]
      : (name: string) => inherited[name];
  for (const name of names) {
    const value = lookup(name);
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...hookEnv };
}
