import { setTimeout as sleep } from 'node:timers/promises';
import { requireServerRow, type HaproxyRuntimeClient, type StatRow } from '@conveyor/haproxy';

/**
 * Polls `show stat` until the server's row satisfies `accept` (e.g. UP after a check);
 * resolves with that row, or rejects naming the last status seen.
 */
export async function waitForServerRow(
  client: HaproxyRuntimeClient,
  backend: string,
  server: string,
  accept: (row: StatRow) => boolean,
  timeoutMs = 5000,
): Promise<StatRow> {
  const deadline = Date.now() + timeoutMs;
  let last: StatRow | undefined;
  while (Date.now() < deadline) {
    last = requireServerRow(await client.showStat(), backend, server);
    if (accept(last)) return last;
    await sleep(25);
  }
  throw new Error(
    `${backend}/${server} did not reach the expected state within ${timeoutMs} ms; last status "${last?.status.raw}", scur ${last?.currentSessions}, check ${last?.checkStatus}`,
  );
}

/** Waits until every listed server of the backend is UP with a passing check. */
export async function waitForServersUp(
  client: HaproxyRuntimeClient,
  backend: string,
  servers: readonly string[],
  timeoutMs = 5000,
): Promise<void> {
  await Promise.all(
    servers.map((server) =>
      waitForServerRow(
        client,
        backend,
        server,
        (row) => row.status.raw === 'UP' && row.checkStatus === 'L7OK',
        timeoutMs,
      ),
    ),
  );
}
