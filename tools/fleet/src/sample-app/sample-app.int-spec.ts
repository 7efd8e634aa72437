import { setTimeout as sleep } from 'node:timers/promises';
import { download, getJson } from '../testing/http-download';
import { startSampleApp, type SampleAppProcess } from '../testing/sample-app.process';

describe('sample app (node server.js)', () => {
  const started: SampleAppProcess[] = [];
  const start = async (env: Record<string, string>) => {
    const app = await startSampleApp(env);
    started.push(app);
    return app;
  };
  afterEach(async () => {
    await Promise.all(started.splice(0).map((app) => app.kill()));
  });

  it('answers /health, /version and / with its version and server id', async () => {
    const app = await start({ APP_VERSION: '3.1.0', SERVER_ID: 'web-7' });
    const base = `http://127.0.0.1:${app.port}`;
    expect(await getJson(`${base}/health`)).toMatchObject({
      status: 200,
      body: { status: 'ok', version: '3.1.0' },
    });
    expect(await getJson(`${base}/version`)).toMatchObject({
      status: 200,
      body: { version: '3.1.0', serverId: 'web-7' },
    });
    expect(await getJson(`${base}/`)).toMatchObject({
      status: 200,
      body: { version: '3.1.0', serverId: 'web-7' },
    });
    expect((await getJson(`${base}/nope`)).status).toBe(404);
  });

  it('holds /slow?ms=N open about N ms, and refuses N above 30 s', async () => {
    const app = await start({ APP_VERSION: '1.0.0' });
    const slow = await getJson(`http://127.0.0.1:${app.port}/slow?ms=600`);
    expect(slow.status).toBe(200);
    expect(slow.durationMs).toBeGreaterThanOrEqual(590);
    expect(slow.durationMs).toBeLessThan(2000);
    const tooSlow = await getJson(`http://127.0.0.1:${app.port}/slow?ms=30001`);
    expect(tooSlow).toMatchObject({
      status: 400,
      body: { error: expect.stringContaining('ms must be an integer 0..30000') },
    });
  });

  it('on SIGTERM refuses new connections but lets an in-flight /slow request finish, then exits 0', async () => {
    const app = await start({ APP_VERSION: '1.0.0' });
    const inFlight = getJson(`http://127.0.0.1:${app.port}/slow?ms=1200`);
    await sleep(300);
    app.child.kill('SIGTERM');
    await sleep(100);
    await expect(download(`http://127.0.0.1:${app.port}/health`)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    expect(await inFlight).toMatchObject({ status: 200, body: { version: '1.0.0', sleptMs: 1200 } });
    expect(await app.exited).toBe(0);
  });

  it('bounds the grace period: a request longer than GRACE_MS is cut and the process exits', async () => {
    const app = await start({ APP_VERSION: '1.0.0', GRACE_MS: '300' });
    const inFlight = download(`http://127.0.0.1:${app.port}/slow?ms=10000`).then(
      () => 'answered',
      () => 'cut',
    );
    await sleep(200);
    const stoppedAt = Date.now();
    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(1);
    expect(Date.now() - stoppedAt).toBeLessThan(2000);
    expect(await inFlight).toBe('cut');
  });

  it('in broken mode starts but answers /health with 500', async () => {
    const app = await start({ APP_VERSION: '1.0.0', BROKEN: '1' });
    expect(await getJson(`http://127.0.0.1:${app.port}/health`)).toMatchObject({
      status: 500,
      body: { status: 'broken' },
    });
    expect((await getJson(`http://127.0.0.1:${app.port}/version`)).status).toBe(200);
  });

  it('refuses to start with a bad PORT and says why', async () => {
    await expect(start({ PORT: 'eighty', APP_VERSION: '1.0.0' })).rejects.toThrow(
      /exited with 2.*\n.*PORT must be an integer 0\.\.65535, got "eighty"/,
    );
  });
});
