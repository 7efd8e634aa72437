import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findServerRow } from '@conveyor/haproxy';
import { startBackendServers, type BackendFleet } from '../http/backend-servers';
import { httpGet } from '../http/http-get';
import { findFreePorts } from '../http/free-port';
import { DEFAULT_HEALTH_CHECK, renderHaproxyConfig } from './haproxy-config';
import { liveHaproxyCount } from './haproxy-process';
import { startHaproxy, stopAllHaproxy } from './start-haproxy';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startHaproxy', () => {
  let fleet: BackendFleet;

  beforeAll(async () => {
    fleet = await startBackendServers(2);
  });

  afterAll(async () => {
    await stopAllHaproxy();
    await fleet?.close();
  });

  const servers = (): { name: string; port: number }[] =>
    fleet.servers.map((server) => ({ name: server.id, port: server.port }));

  it('sends a request naming a server in the maintenance header to that server, even in maint, and never to another', async () => {
    const own = await startBackendServers(2, { idPrefix: 'm' });
    const haproxy = await startHaproxy({
      servers: own.servers.map((server) => ({ name: server.id, port: server.port })),
      maintenanceServerHeader: 'X-Conveyor-Server',
    });
    try {
      const ask = async (id: string) => {
        const response = await fetch(`${haproxy.maintenanceUrl}/`, { headers: { 'X-Conveyor-Server': id } });
        await response.text();
        return `${response.status} ${response.headers.get('x-backend-id') ?? '-'}`;
      };
      for (let i = 0; i < 3; i += 1) {
        expect(await ask('m1')).toBe('200 m1');
        expect(await ask('m2')).toBe('200 m2');
      }
      await haproxy.client.command(`set server ${haproxy.maintenanceBackend}/m1 state maint`);
      expect(await ask('m1')).toBe('200 m1');
      // m1 cannot answer: the check fails rather than being answered by m2.
      await own.byId('m1').close();
      expect(await ask('m1')).toBe('503 -');
      expect(await ask('m2')).toBe('200 m2');
    } finally {
      await haproxy.stop();
      await own.close().catch(() => undefined);
    }
  });

  it('serves on free ports and stop() kills the process and removes its directory', async () => {
    const haproxy = await startHaproxy({ servers: servers() });
    const pid = haproxy.pid();
    expect(isAlive(pid)).toBe(true);
    expect(haproxy.onlinePort).not.toBe(haproxy.maintenancePort);
    expect(existsSync(haproxy.configPath)).toBe(true);
    await expect(httpGet(`${haproxy.onlineUrl}/`)).resolves.toMatchObject({ status: 200 });

    await haproxy.stop();
    await haproxy.stop(); // idempotent
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(haproxy.directory)).toBe(false);
    await expect(httpGet(`${haproxy.onlineUrl}/`)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('restart() starts a new process on the same ports and loses runtime states (drift)', async () => {
    const haproxy = await startHaproxy({ servers: servers() });
    const firstPid = haproxy.pid();
    await haproxy.client.setServerState('be_online', 's1', 'maint');

    await haproxy.restart();

    expect(haproxy.pid()).not.toBe(firstPid);
    expect(isAlive(firstPid)).toBe(false);
    const row = findServerRow(await haproxy.client.showStat(), 'be_online', 's1');
    expect(row?.status.status).not.toBe('MAINT');
    await expect(httpGet(`${haproxy.onlineUrl}/`)).resolves.toMatchObject({ status: 200 });
    await haproxy.stop();
  });

  it('keeps runtime states across restart() when a server-state-file is asked for', async () => {
    const haproxy = await startHaproxy({ servers: servers(), serverStateFile: true });
    await haproxy.client.setServerState('be_online', 's1', 'maint');
    await haproxy.restart();
    const [s1] = await haproxy.client.showServersState('be_online');
    expect(s1.adminState).toBe('maint');
    await haproxy.stop();
  });

  it("fails with HAProxy's own words when the config is refused, leaving nothing behind", async () => {
    const before = liveHaproxyCount();
    // A server address that cannot be resolved makes HAProxy refuse the config and exit.
    const attempt = startHaproxy({
      servers: [{ name: 's1', host: 'no-such-host.invalid', port: 8080 }],
      startTimeoutMs: 5000,
    });
    await expect(attempt).rejects.toThrow(/exited during start-up[\s\S]*no-such-host\.invalid/);
    expect(liveHaproxyCount()).toBe(before);
  });

  it('refuses a weight under 100 before starting anything', async () => {
    await expect(startHaproxy({ servers: [{ name: 's1', port: 8080, weight: 1 }] })).rejects.toThrow(
      'server s1: weight 1 must be an integer in 100..256',
    );
  });

  it('leaves no HAProxy behind when the test process itself is killed', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'conveyor-haproxy-orphan-'));
    let haproxyPid = -1;
    try {
      const [online, maintenance] = await findFreePorts(2);
      const configPath = join(directory, 'haproxy.cfg');
      await writeFile(
        configPath,
        renderHaproxyConfig({
          onlineFrontend: { name: 'fe_online', port: online },
          maintenanceFrontend: { name: 'fe_maintenance', port: maintenance },
          onlineBackend: 'be_online',
          maintenanceBackend: 'be_maintenance',
          servers: servers(),
          healthCheck: DEFAULT_HEALTH_CHECK,
          adminSocketPath: join(directory, 'admin.sock'),
          timeouts: { connectMs: 1000, clientMs: 5000, serverMs: 5000 },
        }),
      );
      // A separate Node process starts HAProxy, prints its pid, and is then SIGKILLed.
      const script =
        `const { spawnHaproxy } = require(${JSON.stringify(join(__dirname, 'haproxy-process.ts'))});` +
        `const started = spawnHaproxy(${JSON.stringify(configPath)}); console.log(started.pid); setInterval(() => undefined, 1000);`;
      const parent = spawn(process.execPath, ['-r', '@swc-node/register', '-e', script], {
        cwd: join(__dirname, '../../../..'),
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      haproxyPid = await new Promise<number>((resolve, reject) => {
        parent.stdout.once('data', (data: Buffer) => resolve(Number(data.toString().trim())));
        parent.once('exit', () => reject(new Error('the parent process exited before printing a pid')));
      });
      expect(isAlive(haproxyPid)).toBe(true);

      parent.kill('SIGKILL');

      const deadline = Date.now() + 5000;
      while (isAlive(haproxyPid) && Date.now() < deadline) await sleep(20);
      expect(isAlive(haproxyPid)).toBe(false);
    } finally {
      if (haproxyPid > 0 && isAlive(haproxyPid)) process.kill(haproxyPid, 'SIGKILL');
      await rm(directory, { recursive: true, force: true });
    }
  });
});
