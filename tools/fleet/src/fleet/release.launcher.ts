import { readFile, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  APP_SPEC_FILE_NAME,
  hookEnvSchema,
  type AppSpec,
  type HookEnv,
  type HookName,
} from '@conveyor/contracts';
import { parseAppSpec } from '../artifacts/app-spec.parser';
import type { FleetServer } from './fleet.layout';
import { runLinuxHook, type HookRun } from './hook.runner';
import { isProcessAlive, readPidFile } from './process-liveness';
import { switchCurrent, unpackRelease } from './release.installer';

export interface StartReleaseOptions {
  /** Run the validate hook (default true). Off for an artifact expected to be unhealthy. */
  readonly validate?: boolean;
  /** Extra environment for every hook, e.g. { VALIDATE_TIMEOUT_MS: '2000' } to fail a broken release fast. */
  readonly extraEnv?: Readonly<Record<string, string>>;
}

export interface StartedRelease {
  readonly serverId: string;
  readonly version: string;
  readonly releaseDir: string;
  /** Pid of the app process, from the pid file the start hook wrote. */
  readonly pid: number | undefined;
  /** The hooks that ran, in order, with their output. */
  readonly hooks: readonly HookRun[];
}

/**
 * Deploys an artifact on one local server the way an agent would, without an agent:
 * unpack into releases/<version> → stop (the running release) → before-install → switch current →
 * after-install → start → validate. Rejects with HookFailedError naming the failing hook.
 */
export async function startRelease(
  server: FleetServer,
  artifactPath: string,
  options: StartReleaseOptions = {},
): Promise<StartedRelease> {
  const { version, releaseDir, spec } = await unpackRelease(server, artifactPath);
  const hooks: HookRun[] = [];
  const run = async (name: HookName) => {
    const hook = spec.hooks[name];
    if (hook !== undefined)
      hooks.push(
        await runLinuxHook(server.id, hook, hookEnv(server, name, releaseDir, version), options.extraEnv),
      );
  };
  await run('stop');
  await run('before-install');
  await switchCurrent(server, releaseDir);
  await run('after-install');
  await run('start');
  if (options.validate ?? true) await run('validate');
  return { serverId: server.id, version, releaseDir, pid: await readPidFile(server.pidFile), hooks };
}

/** Runs the stop hook of the server's current release (a graceful stop); a server with no release is a no-op. */
export async function stopRelease(server: FleetServer): Promise<HookRun | undefined> {
  const specText = await readFile(join(server.currentLink, APP_SPEC_FILE_NAME), 'utf8').catch(
    () => undefined,
  );
  if (specText === undefined) return undefined;
  const spec: AppSpec = parseAppSpec(specText, join(server.currentLink, APP_SPEC_FILE_NAME));
  const releaseDir = await realpath(server.currentLink);
  return runLinuxHook(server.id, spec.hooks.stop, hookEnv(server, 'stop', releaseDir, spec.version));
}

/**
 * Stops every app process of the fleet without hooks (works even when a release is broken or deleted):
 * SIGTERM from each pid file, SIGKILL after `graceMs`. Safe to call twice, and from afterAll.
 */
export async function stopAll(servers: readonly FleetServer[], graceMs = 10_000): Promise<void> {
  await Promise.all(servers.map((server) => stopByPidFile(server.pidFile, graceMs)));
}

async function stopByPidFile(pidFile: string, graceMs: number): Promise<void> {
  const pid = await readPidFile(pidFile);
  if (pid === undefined || !(await isProcessAlive(pid))) return;
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (await isProcessAlive(pid)) {
    if (Date.now() >= deadline) {
      signal(pid, 'SIGKILL');
      await sleep(100);
      return;
    }
    await sleep(50);
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

function hookEnv(server: FleetServer, hook: HookName, releaseDir: string, version: string): HookEnv {
  return hookEnvSchema.parse({
    CONVEYOR_HOOK: hook,
    CONVEYOR_RELEASE_DIR: releaseDir,
    CONVEYOR_CURRENT_DIR: server.currentLink,
    CONVEYOR_STATE_DIR: server.stateDir,
    CONVEYOR_PORT: String(server.port),
    CONVEYOR_VERSION: version,
    CONVEYOR_SERVER_ID: server.id,
  });
}
