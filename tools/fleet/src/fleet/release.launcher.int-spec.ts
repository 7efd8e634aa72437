import { mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildArtifact, type BuiltArtifact } from '../artifacts/artifact.builder';
import { ArchiveError } from '../artifacts/artifact.errors';
import { download, getJson } from '../testing/http-download';
import { describeFleet, type FleetServer } from './fleet.layout';
import { HookFailedError } from './fleet.errors';
import { isProcessAlive } from './process-liveness';
import { startRelease, stopAll, stopRelease } from './release.launcher';

describe('local fleet: startRelease / stopRelease / stopAll', () => {
  let baseDir: string;
  let servers: FleetServer[];
  let v1: BuiltArtifact;
  let v2: BuiltArtifact;
  let broken: BuiltArtifact;
  const urlOf = (server: FleetServer, path: string) => `http://127.0.0.1:${server.port}${path}`;
  const web1 = () => servers[0]!;
  const web2 = () => servers[1]!;

  beforeAll(async () => {
    baseDir = await mkdtemp(join(tmpdir(), 'fleet-launcher-'));
    v1 = await buildArtifact({ version: '1.0.0', format: 'tar.gz', outDir: join(baseDir, 'artifacts') });
    v2 = await buildArtifact({ version: '2.0.0', format: 'zip', outDir: join(baseDir, 'artifacts') });
    broken = await buildArtifact({
      version: '3.0.0',
      format: 'tar.gz',
      broken: true,
      outDir: join(baseDir, 'artifacts'),
    });
    servers = await describeFleet(2, join(baseDir, 'fleet'));
  });
  afterAll(async () => {
    if (servers) await stopAll(servers);
    await rm(baseDir, { recursive: true, force: true });
  });

  it('lays out web-1, web-2 with distinct ports and the agent’s directory layout', () => {
    expect(servers.map((server) => server.id)).toEqual(['web-1', 'web-2']);
    expect(web1().port).not.toBe(web2().port);
    expect(web1()).toMatchObject({
      releasesDir: join(baseDir, 'fleet', 'web-1', 'releases'),
      currentLink: join(baseDir, 'fleet', 'web-1', 'current'),
      stateDir: join(baseDir, 'fleet', 'web-1', 'state'),
    });
  });

  it('starts v1 from its tar.gz through its hooks: /version answers 1.0.0 from web-1', async () => {
    const release = await startRelease(web1(), v1.path);

    expect(release.hooks.map((hook) => hook.hook)).toEqual([
      'stop',
      'before-install',
      'after-install',
      'start',
      'validate',
    ]);
    expect(await getJson(urlOf(web1(), '/version'))).toMatchObject({
      status: 200,
      body: { version: '1.0.0', serverId: 'web-1' },
    });
    expect(await readlink(web1().currentLink)).toBe(join('releases', '1.0.0'));
    expect(Number(await readFile(web1().pidFile, 'utf8'))).toBe(release.pid);
    expect(await isProcessAlive(release.pid!)).toBe(true);
  });

  it('upgrades to v2 from a zip: the v1 process is stopped, current switches, v1 stays for rollback', async () => {
    const oldPid = Number(await readFile(web1().pidFile, 'utf8'));
    const release = await startRelease(web1(), v2.path);

    expect(await isProcessAlive(oldPid)).toBe(false);
    expect(release.pid).not.toBe(oldPid);
    expect(await getJson(urlOf(web1(), '/version'))).toMatchObject({
      body: { version: '2.0.0', serverId: 'web-1' },
    });
    expect(await readlink(web1().currentLink)).toBe(join('releases', '2.0.0'));
    expect((await readdir(web1().releasesDir)).sort()).toEqual(['1.0.0', '2.0.0']);
  });

  it('stopRelease (the stop hook) lets an in-flight /slow request complete, then the port is closed', async () => {
    const inFlight = getJson(urlOf(web1(), '/slow?ms=1500'));
    await sleep(300);
    const stop = await stopRelease(web1());

    expect(await inFlight).toMatchObject({ status: 200, body: { version: '2.0.0', sleptMs: 1500 } });
    expect(stop?.output).toContain('stopped');
    await expect(download(urlOf(web1(), '/health'))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(readFile(web1().pidFile, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a broken artifact starts but fails validate, and its /health answers 500', async () => {
    const attempt = startRelease(web2(), broken.path, { extraEnv: { VALIDATE_TIMEOUT_MS: '1500' } });

    await expect(attempt).rejects.toThrow(HookFailedError);
    await expect(attempt).rejects.toMatchObject({ hook: 'validate', serverId: 'web-2' });
    await expect(attempt).rejects.toThrow(/not healthy with version 3\.0\.0 .*HTTP 500/);
    expect(await getJson(urlOf(web2(), '/health'))).toMatchObject({
      status: 500,
      body: { version: '3.0.0' },
    });
  });

  it('a corrupt artifact is refused before any hook runs: current and the running app stay as they were', async () => {
    await startRelease(web2(), v1.path);
    const bytes = await readFile(v2.path);
    const corrupt = join(baseDir, 'artifacts', 'corrupt-2.0.0.zip');
    await writeFile(corrupt, bytes.subarray(0, Math.floor(bytes.length / 2)));

    await expect(startRelease(web2(), corrupt)).rejects.toThrow(ArchiveError);
    expect(await readlink(web2().currentLink)).toBe(join('releases', '1.0.0'));
    expect((await readdir(web2().releasesDir)).filter((name) => name.startsWith('.incoming'))).toEqual([]);
    expect(await getJson(urlOf(web2(), '/version'))).toMatchObject({ body: { version: '1.0.0' } });
  });

  it('stopAll stops every app process of the fleet', async () => {
    await startRelease(web1(), v1.path);
    const pids = await Promise.all(
      servers.map(async (server) => Number(await readFile(server.pidFile, 'utf8'))),
    );
    await stopAll(servers);

    for (const pid of pids) expect(await isProcessAlive(pid)).toBe(false);
    for (const server of servers)
      await expect(download(urlOf(server, '/health'))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
