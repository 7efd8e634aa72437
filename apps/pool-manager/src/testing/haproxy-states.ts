import type { HaproxyRuntimeClient } from '@conveyor/haproxy';

/** server → admin state (ready/drain/maint) of a backend, straight from HAProxy. */
export async function adminStates(
  client: HaproxyRuntimeClient,
  backend: string,
): Promise<Record<string, string>> {
  const rows = await client.showServersState(backend);
  return Object.fromEntries(rows.map((row) => [row.server, row.adminState]));
}

/** server → HAProxy status text ("UP", "MAINT", …) of a backend. */
export async function statuses(
  client: HaproxyRuntimeClient,
  backend: string,
): Promise<Record<string, string>> {
  const rows = (await client.showStat()).filter((row) => row.type === 'server' && row.proxy === backend);
  return Object.fromEntries(rows.map((row) => [row.name, row.status.raw]));
}
