import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, readlink, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startFleet, type RunningFleet } from '@conveyor/fleet';
import { AgentHarness, servedVersion } from '../testing/agent-harness';
import { digest, hostileTarGz, hostileZip } from './hostile-archives';

/**
 * Red team: artifacts that try to write outside the release directory or to exhaust the disk.
 * A real agent process (tools/fleet), a real broker vhost, real files served over HTTP. Each is
 * refused at unpack with the reason in agent.deploy.failed; nothing outside the release dir
 * changes and v1 keeps serving.
 */
describe('red team: hostile archives are refused at unpack', () => {
  let kit: AgentHarness;
  let fleet: RunningFleet;
  let outside: string;
  const deploymentId = randomUUID();
  const web1 = { nodeIds: ['web-1'] };
  const server = () => fleet.servers[0]!;
  const MAX_BYTES = 16 * 1024 * 1024;

  /** Everything under the directory an attacker aims at: names, contents and link counts. */
  async function outsideState(): Promise<string> {
    const names = (await readdir(outside, { recursive: true })).sort();
    const parts = await Promise.all(
      names.map(async (name) => {
        const info = await stat(join(outside, name));
        return `${name} nlink=${info.nlink} ${info.isFile() ? await readFile(join(outside, name), 'utf8') : 'dir'}`;
      }),
    );
    return parts.join('\n');
  }

  /** Serves `file` (already written under artifacts/) as version 6.6.6 and returns the agent's failure. */
  async function deployHostile(fileName: string) {
    const path = join(kit.dir, 'artifacts', fileName);
    const { sha256, size } = await digest(path);
    const stepId = `attack-${fileName}`;
    await kit.send(
      'agent.deploy.requested',
      kit.sign('deploy', web1, {
        deploymentId,
        stepId,
        artifact: {
          service: 'sample-app',
          version: '6.6.6',
          url: `${kit.artifactServer.url}/${fileName}`,
          sha256,
          size,
        },
      }),
    );
    return (await kit.waitForEvents('agent.deploy.failed', 1, (event) => event.stepId === stepId))[0]!;
  }

  let before: string;
  beforeAll(async () => {
    kit = await AgentHarness.create();
    outside = join(kit.dir, 'outside');
    await mkdir(outside);
    await writeFile(join(outside, 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
    fleet = await startFleet({
      n: 1,
      baseDir: join(kit.dir, 'fleet'),
      amqpUrl: await kit.agentUrls(1),
      trustedKeys: [kit.keys.publicKeyPem],
      env: { AGENT_MAX_EXTRACT_BYTES: String(MAX_BYTES), AGENT_MAX_EXTRACT_ENTRIES: '1000' },
    });
    const v1 = await kit.artifact({ version: '1.0.0', format: 'tar.gz' });
    await kit.send(
      'agent.deploy.requested',
      kit.sign('deploy', web1, { deploymentId, stepId: 'v1', artifact: v1.ref }),
    );
    await kit.waitForEvents('agent.deploy.succeeded', 1, (event) => event.stepId === 'v1');
    before = await outsideState();
  }, 120_000);

  afterAll(async () => {
    await fleet?.stop();
    await kit?.close();
  });

  afterEach(async () => {
    expect(await outsideState()).toBe(before);
    expect(await readdir(server().releasesDir)).toEqual(['1.0.0']);
    expect(await readlink(server().currentLink)).toBe(join('releases', '1.0.0'));
    expect(await servedVersion(server().port)).toBe('1.0.0');
  });

  it('a tar hard link to an absolute path outside (an /etc/passwd-like file)', async () => {
    await writeFile(
      join(kit.dir, 'artifacts', 'hardlink-abs.tar.gz'),
      hostileTarGz([
        { path: 'conveyor-app.yaml', content: 'x' },
        { path: 'passwd', type: 'Link', linkpath: join(outside, 'passwd') },
        { path: 'passwd', content: 'owned' },
      ]),
    );
    expect(await deployHostile('hardlink-abs.tar.gz')).toMatchObject({
      phase: 'unpack',
      reason: expect.stringContaining(
        `hard link "passwd" points outside the release dir ("${join(outside, 'passwd')}")`,
      ),
    });
  });

  it('a tar hard link climbing out with ../', async () => {
    await writeFile(
      join(kit.dir, 'artifacts', 'hardlink-rel.tar.gz'),
      hostileTarGz([{ path: 'passwd', type: 'Link', linkpath: '../../../../outside/passwd' }]),
    );
    expect((await deployHostile('hardlink-rel.tar.gz')).reason).toContain(
      'hard link "passwd" points outside',
    );
  });

  it('a tar symlink out of the release dir, then a file written through it', async () => {
    await writeFile(
      join(kit.dir, 'artifacts', 'symlink.tar.gz'),
      hostileTarGz([
        { path: 'escape', type: 'SymbolicLink', linkpath: outside },
        { path: 'escape/owned', content: 'owned' },
      ]),
    );
    expect((await deployHostile('symlink.tar.gz')).reason).toContain(
      'symlink "escape" points to an absolute path',
    );
  });

  it('a tar symlink chain (b -> ., c -> b/..) that resolves outside', async () => {
    await writeFile(
      join(kit.dir, 'artifacts', 'symlink-chain.tar.gz'),
      hostileTarGz([
        { path: 'b', type: 'SymbolicLink', linkpath: '.' },
        { path: 'c', type: 'SymbolicLink', linkpath: 'b/..' },
        { path: 'c/outside/owned', content: 'owned' },
      ]),
    );
    expect((await deployHostile('symlink-chain.tar.gz')).reason).toContain(
      'symlink "c" points through another link in the archive',
    );
  });

  it('a tar entry named ../../outside/owned, and an absolute one', async () => {
    await writeFile(
      join(kit.dir, 'artifacts', 'dotdot.tar.gz'),
      hostileTarGz([{ path: '../../../../outside/owned', content: 'owned' }]),
    );
    expect((await deployHostile('dotdot.tar.gz')).reason).toContain('escapes the release dir');
    await writeFile(
      join(kit.dir, 'artifacts', 'absolute.tar.gz'),
      hostileTarGz([{ path: join(outside, 'owned'), content: 'owned' }]),
    );
    expect((await deployHostile('absolute.tar.gz')).reason).toContain('escapes the release dir');
  });

  it('a tar FIFO entry (would hang a reader)', async () => {
    await writeFile(
      join(kit.dir, 'artifacts', 'fifo.tar.gz'),
      hostileTarGz([{ path: 'pipe', type: 'FIFO' }]),
    );
    expect((await deployHostile('fifo.tar.gz')).reason).toContain('entry "pipe" is a FIFO');
  });

  it('a tar with more entries than AGENT_MAX_EXTRACT_ENTRIES', async () => {
    const many = Array.from({ length: 1001 }, (_, i) => ({ path: `f/${i}`, content: '' }));
    await writeFile(join(kit.dir, 'artifacts', 'many.tar.gz'), hostileTarGz(many));
    expect((await deployHostile('many.tar.gz')).reason).toContain(
      'more than 1000 entries (AGENT_MAX_EXTRACT_ENTRIES)',
    );
  });

  it('a zip bomb: 64 KB that inflates to 64 MB, under a 16 MB cap', async () => {
    const path = join(kit.dir, 'artifacts', 'bomb.zip');
    await hostileZip([{ path: 'zeros.bin', content: Buffer.alloc(64 * 1024 * 1024) }], path);
    expect((await stat(path)).size).toBeLessThan(128 * 1024);
    expect((await deployHostile('bomb.zip')).reason).toContain(
      `unpacks to more than ${MAX_BYTES} bytes (AGENT_MAX_EXTRACT_BYTES)`,
    );
  });

  it('a zip symlink entry pointing outside', async () => {
    await hostileZip(
      [{ path: 'escape', content: Buffer.from(outside), mode: 0o120777 }],
      join(kit.dir, 'artifacts', 'zip-symlink.zip'),
    );
    expect((await deployHostile('zip-symlink.zip')).reason).toContain(
      'symlink "escape" points to an absolute path',
    );
  });

  it('a zip entry named ../outside/owned', async () => {
    await hostileZip(
      [{ path: 'aa/outside/owned', content: Buffer.from('owned') }],
      join(kit.dir, 'artifacts', 'zip-dotdot.zip'),
      { from: 'aa/outside/owned', to: '../outside/owned' },
    );
    const failed = await deployHostile('zip-dotdot.zip');
    expect(failed.phase).toBe('unpack');
    expect(failed.reason).toMatch(/escapes the release dir|invalid relative path/);
  });
});
