import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { HAPROXY_BINARY } from './haproxy-process';
import type { HaproxyHandle } from './start-haproxy';

/** The shipped reload hook, run the way systemd or the container runs it. */
export const RELOAD_HOOK = join(__dirname, '..', '..', '..', '..', 'deploy', 'haproxy', 'haproxy-reload.sh');

/** Runs deploy/haproxy/haproxy-reload.sh against `haproxy`; `env` overrides its settings. */
export function reloadThroughHook(
  haproxy: HaproxyHandle,
  env: Record<string, string> = {},
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      RELOAD_HOOK,
      [],
      {
        env: {
          PATH: process.env['PATH'] ?? '/usr/bin:/bin',
          HAPROXY_BIN: HAPROXY_BINARY,
          HAPROXY_CONFIG: haproxy.configPath,
          HAPROXY_STATS_SOCKET: haproxy.socketPath,
          HAPROXY_MASTER_SOCKET: haproxy.masterSocketPath ?? '',
          HAPROXY_SERVER_STATE_FILE: haproxy.serverStateFile ?? '',
          ...env,
        },
        timeout: 30_000,
      },
      (error, stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          output: `${stdout}${stderr}`,
        }),
    );
  });
}
