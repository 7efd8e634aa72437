import { readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { FleetServer } from '@conveyor/fleet';

/** What a command could change on a server: its releases, `current`, its step journal and release history. */
export async function diskSnapshot(server: FleetServer): Promise<Record<string, string>> {
  const snapshot: Record<string, string> = {};
  snapshot['current'] = await readlink(server.currentLink).catch(() => '(none)');
  snapshot['releases'] = (await readdir(server.releasesDir).catch(() => [])).sort().join(',');
  const steps = join(server.stateDir, 'steps');
  for (const name of (await readdir(steps).catch(() => [])).sort())
    snapshot[`steps/${name}`] = await readFile(join(steps, name), 'utf8');
  snapshot['releases.json'] = await readFile(join(server.stateDir, 'releases.json'), 'utf8').catch(
    () => '(none)',
  );
  return snapshot;
}
