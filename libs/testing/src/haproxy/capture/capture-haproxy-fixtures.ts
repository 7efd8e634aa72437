/**
 * Captures REAL HAProxy Runtime API output into libs/haproxy/src/__fixtures__ for the
 * parser unit tests. Run from the repo root:
 *   node -r @swc-node/register libs/testing/src/haproxy/capture/capture-haproxy-fixtures.ts
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HaproxyRuntimeClient, parseShowStat } from '@conveyor/haproxy';
import { startBackendServers } from '../../http/backend-servers';
import { httpGet } from '../../http/http-get';
import { startHaproxy } from '../start-haproxy';

const FIXTURES = join(__dirname, '../../../../haproxy/src/__fixtures__');

async function main(): Promise<void> {
  const fleet = await startBackendServers(6);
  const [s1, s2, s3, s4, s5] = fleet.servers;
  s5.setHealthy(false);
  const haproxy = await startHaproxy({
    servers: fleet.servers.map((server, index) => ({
      name: server.id,
      port: server.port,
      weight: index === 0 ? 200 : 100,
      check: index !== 5,
    })),
    healthCheck: { interMs: 300, rise: 3, fall: 3 },
    userSocket: true,
  });
  try {
    const { client, onlineBackend: online } = haproxy;
    await client.setServerState(online, s2.id, 'drain');
    await client.setServerState(online, s3.id, 'maint');
    await client.setWeight(online, s1.id, '50%');
    // Hold requests (round robin spreads them) until s1 holds one, so scur > 0 in the capture.
    const held: Promise<unknown>[] = [];
    for (let attempt = 0; attempt < 8 && s1.counters.held === 0; attempt += 1) {
      held.push(httpGet(`${haproxy.onlineUrl}/hold`, 30_000).catch(() => undefined));
      await sleep(100);
    }
    await s1.waitForHeld(1);
    // s5 starts unhealthy: wait until it is DOWN, then flip s4 down and s5 up.
    await waitFor(client, (rows) =>
      rows.some((r) => r.proxy === online && r.name === s5.id && r.status.raw === 'DOWN'),
    );
    s4.setHealthy(false);
    s5.setHealthy(true);
    const stat = await waitFor(client, (rows) => {
      const status = (name: string): string =>
        rows.find((r) => r.proxy === online && r.name === name)?.status.raw ?? '';
      return /^UP \d\/\d$/.test(status(s4.id)) && /^DOWN \d\/\d$/.test(status(s5.id));
    });
    await writeFile(join(FIXTURES, 'show-stat-mixed.csv'), stat.raw);
    await writeFile(join(FIXTURES, 'show-servers-state.txt'), await client.command('show servers state'));
    await writeFile(
      join(FIXTURES, 'show-servers-state-online.txt'),
      await client.command(`show servers state ${online}`),
    );
    fleet.servers.forEach((server) => server.releaseHeld());
    await Promise.all(held);

    const user = new HaproxyRuntimeClient({ address: haproxy.userSocketPath ?? '' });
    const answers: Record<string, string> = {
      success: await client.command(`set server ${online}/${s1.id} state ready`),
      noSuchBackend: await client.command(`set server be_nope/${s1.id} state maint`),
      noSuchServer: await client.command(`set server ${online}/nope state maint`),
      cantFindBackend: await client.command('show servers state be_nope'),
      agentNotConfigured: await client.command(`enable agent ${online}/${s1.id}`),
      unknownCommand: await client.command('frobnicate'),
      permissionDenied: await user.command(`set server ${online}/${s1.id} state maint`),
    };
    await writeFile(join(FIXTURES, 'runtime-answers.json'), `${JSON.stringify(answers, null, 2)}\n`);
    console.log(`fixtures written to ${FIXTURES}`);
  } finally {
    await haproxy.stop();
    await fleet.close();
  }
}

async function waitFor(
  client: HaproxyRuntimeClient,
  done: (rows: ReturnType<typeof parseShowStat>) => boolean,
): Promise<{ raw: string }> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const raw = await client.command('show stat');
    if (done(parseShowStat(raw))) return { raw };
    await sleep(20);
  }
  throw new Error('the wanted HAProxy states did not appear within 15 s');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
