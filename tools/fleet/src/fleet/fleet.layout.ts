import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { findFreePort } from './free-port';

/** One local "server" of the fleet: the directory layout an agent uses on a real server. */
export interface FleetServer {
  /** Node id, web-1 … web-N. */
  readonly id: string;
  /** The port the app listens on (HAProxy's backend server points at 127.0.0.1:<port>). */
  readonly port: number;
  /** <base>/<id> */
  readonly rootDir: string;
  /** <base>/<id>/releases — one directory per version: releases/<version>. */
  readonly releasesDir: string;
  /** <base>/<id>/current — symlink to releases/<version> once a release is installed. */
  readonly currentLink: string;
  /** <base>/<id>/state — survives releases: app.pid, app.log. */
  readonly stateDir: string;
  /** <base>/<id>/state/app.pid, written by the start hook. */
  readonly pidFile: string;
  /** <base>/<id>/state/app.log, the app's stdout and stderr. */
  readonly logFile: string;
}

/** The path of release `version` on `server`. */
export function releaseDirOf(server: FleetServer, version: string): string {
  return join(server.releasesDir, version);
}

/**
 * Lays out `count` local servers under `baseDir` (creates <id>/releases and <id>/state) and gives each
 * a free port. Calling it again on the same base dir keeps existing releases but picks new ports.
 */
export async function describeFleet(
  count: number,
  baseDir: string,
  idPrefix = 'web',
): Promise<FleetServer[]> {
  if (!Number.isInteger(count) || count < 1 || count > 100) {
    throw new RangeError(`fleet size must be an integer 1..100, got ${count}`);
  }
  const base = resolve(baseDir);
  const servers: FleetServer[] = [];
  const taken = new Set<number>();
  for (let index = 1; index <= count; index += 1) {
    let port = await findFreePort();
    while (taken.has(port)) port = await findFreePort();
    taken.add(port);
    const id = `${idPrefix}-${index}`;
    const rootDir = join(base, id);
    const stateDir = join(rootDir, 'state');
    const server: FleetServer = {
      id,
      port,
      rootDir,
      releasesDir: join(rootDir, 'releases'),
      currentLink: join(rootDir, 'current'),
      stateDir,
      pidFile: join(stateDir, 'app.pid'),
      logFile: join(stateDir, 'app.log'),
    };
    await mkdir(server.releasesDir, { recursive: true });
    await mkdir(server.stateDir, { recursive: true });
    servers.push(server);
  }
  return servers;
}
