import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { download } from '../testing/http-download';
import { startArtifactServer, type ArtifactServer } from './artifact.server';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('artifact server', () => {
  let dir: string;
  let server: ArtifactServer;
  const payload = randomBytes(200_000);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleet-artifact-server-'));
    await writeFile(join(dir, 'app-1.0.0.tar.gz'), payload);
    server = await startArtifactServer(dir);
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(() => server.setFault('app-1.0.0.tar.gz', undefined));

  it('serves the exact bytes with their Content-Length', async () => {
    const result = await download(`${server.url}/app-1.0.0.tar.gz`);
    expect(result.status).toBe(200);
    expect(result.complete).toBe(true);
    expect(result.headers['content-length']).toBe(String(payload.length));
    expect(sha256(result.body)).toBe(sha256(payload));
  });

  it('with ?breakAfter=N announces the full length, sends N bytes and breaks the connection', async () => {
    const result = await download(`${server.url}/app-1.0.0.tar.gz?breakAfter=1000`);
    expect(result.status).toBe(200);
    expect(result.headers['content-length']).toBe(String(payload.length));
    expect(result.complete).toBe(false);
    expect(result.body.equals(payload.subarray(0, 1000))).toBe(true);
  });

  it('applies a per-file fault to every download until cleared', async () => {
    server.setFault('app-1.0.0.tar.gz', { breakAfter: 10 });
    const first = await download(`${server.url}/app-1.0.0.tar.gz`);
    expect(first).toMatchObject({ complete: false });
    expect(first.body.length).toBe(10);
    server.setFault('app-1.0.0.tar.gz', undefined);
    expect((await download(`${server.url}/app-1.0.0.tar.gz`)).body.length).toBe(payload.length);
  });

  it('in slow mode takes about size / bytesPerSecond and still delivers every byte', async () => {
    const result = await download(`${server.url}/app-1.0.0.tar.gz?bytesPerSecond=400000`);
    expect(result.complete).toBe(true);
    expect(sha256(result.body)).toBe(sha256(payload));
    expect(result.durationMs).toBeGreaterThanOrEqual(400);
    expect(result.durationMs).toBeLessThan(3000);
  });

  it('answers 404 for a missing file or a path outside its directory, 400 for a bad fault parameter', async () => {
    expect((await download(`${server.url}/missing.tar.gz`)).status).toBe(404);
    expect((await download(`${server.url}/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
    const bad = await download(`${server.url}/app-1.0.0.tar.gz?breakAfter=lots`);
    expect(bad.status).toBe(400);
    expect(bad.body.toString()).toContain('breakAfter must be an integer');
  });

  it('records what it served, so tests can count downloads', async () => {
    const before = server.requests().length;
    await download(`${server.url}/app-1.0.0.tar.gz?breakAfter=5`);
    expect(server.requests().slice(before)).toEqual([
      { method: 'GET', path: '/app-1.0.0.tar.gz?breakAfter=5', status: 200, bytesSent: 5 },
    ]);
  });
});
