import { randomUUID } from 'node:crypto';
import amqplib from 'amqplib';
import { createEnvelope, deadLetterQueueName, EVENTS_EXCHANGE } from '@conveyor/messaging';
import { findFreePort, waitFor } from '@conveyor/testing';
import { startFakeApp, type FakeAppBehaviour, type FakeAppServer } from '../testing/fake-app-server';
import { VerifierHarness } from '../testing/verifier-harness';

const VERSION = '2.4.0';
const health = {
  path: '/health',
  versionField: 'version',
  intervalMs: 100,
  timeoutSeconds: 3,
  requestTimeoutMs: 400,
};

describe('HTTP health verification through the real bus', () => {
  const bed = new VerifierHarness();
  const apps: FakeAppServer[] = [];

  async function app(
    behaviour: FakeAppBehaviour,
    version = VERSION,
    warmUpMs?: number,
  ): Promise<FakeAppServer> {
    const started = await startFakeApp({ behaviour, version, warmUpMs });
    apps.push(started);
    return started;
  }

  function request(servers: { id: string; address: string }[], spec: Record<string, unknown> = {}) {
    return {
      verificationId: randomUUID(),
      deploymentId: randomUUID(),
      service: 'billing',
      environment: 'staging',
      batchIndex: 0,
      expectedVersion: VERSION,
      servers,
      spec: { health, ...spec },
    };
  }

  beforeAll(() => bed.start());
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await bed.stop();
  });

  it('gives each server the right verdict and says why: healthy, 500, wrong version, silent, warming up', async () => {
    const servers = [
      { id: 'healthy', address: (await app('healthy')).address },
      { id: 'answers-500', address: (await app('error')).address },
      { id: 'old-version', address: (await app('healthy', '2.3.9')).address },
      { id: 'silent', address: (await app('silent')).address },
      { id: 'warming-up', address: (await app('warm-up', VERSION, 1_200)).address },
    ];
    const req = request(servers);
    await bed.publish('verification.requested', req);

    const { passed, data } = await bed.outcomeOf(req.verificationId);
    expect(passed).toBe(false);
    expect(bed.seen.of('verification.started').some((e) => e.verificationId === req.verificationId)).toBe(
      true,
    );
    const byServer = Object.fromEntries(data.results.map((r) => [r.serverId, r]));
    expect(byServer['healthy']).toMatchObject({
      verdict: 'passed',
      type: 'http',
      actual: expect.stringContaining('version 2.4.0'),
    });
    expect(byServer['healthy']!.expected).toBe('GET /health → 200, JSON version = 2.4.0 within 3 s');
    expect(byServer['answers-500']).toMatchObject({
      verdict: 'failed',
      actual: expect.stringContaining('answered 500, expected 200'),
    });
    expect(byServer['old-version']).toMatchObject({
      verdict: 'failed',
      actual: expect.stringContaining('version 2.3.9, expected 2.4.0'),
    });
    expect(byServer['silent']).toMatchObject({
      verdict: 'failed',
      actual: expect.stringContaining('no answer within'),
    });
    expect(byServer['warming-up']).toMatchObject({ verdict: 'passed' });
    expect(byServer['warming-up']!.actual).not.toMatch(/attempt 1,/);
    expect(data.reason).toMatch(/^3 check\(s\) failed: answers-500 http \/health/);
  });

  it('passes a batch whose servers are healthy or merely slow to start', async () => {
    const req = request([
      { id: 'a', address: (await app('healthy')).address },
      { id: 'b', address: (await app('warm-up', VERSION, 800)).address },
    ]);
    await bed.publish('verification.requested', req);
    const { passed, data } = await bed.outcomeOf(req.verificationId);
    expect(passed).toBe(true);
    expect(data.summary).toBe('all 2 checks passed');
    expect(data.results.map((r) => [r.serverId, r.verdict])).toEqual([
      ['a', 'passed'],
      ['b', 'passed'],
    ]);
    const [metrics] = await Promise.all([
      fetch(`http://127.0.0.1:${bed.verifier.port}/metrics`).then((r) => r.text()),
    ]);
    expect(metrics).toMatch(/conveyor_verifications_total\{outcome="passed"\} [1-9]/);
    expect(metrics).toMatch(/conveyor_checks_total\{type="http",outcome="failed"\} [1-9]/);
    expect(metrics).toContain('conveyor_verification_seconds_count');
  });

  it('fails a server nobody listens on, with the connection error', async () => {
    const req = request([{ id: 'gone', address: `127.0.0.1:${await findFreePort()}` }], {
      health: { ...health, timeoutSeconds: 1 },
    });
    await bed.publish('verification.requested', req);
    const { passed, data } = await bed.outcomeOf(req.verificationId);
    expect(passed).toBe(false);
    expect(data.results[0]).toMatchObject({
      serverId: 'gone',
      verdict: 'failed',
      actual: expect.stringMatching(/no answer: fetch failed.*ECONNREFUSED/),
    });
  });

  it('answers a request that parses but cannot run with verification.failed and the reason', async () => {
    const address = (await app('healthy')).address;
    const req = request([
      { id: 'twice', address },
      { id: 'twice', address },
    ]);
    await bed.publish('verification.requested', req);
    const { passed, data } = await bed.outcomeOf(req.verificationId);
    expect(passed).toBe(false);
    expect(data.reason).toBe('the request cannot be run: server twice is listed twice');
    expect(bed.seen.of('verification.started').some((e) => e.verificationId === req.verificationId)).toBe(
      false,
    );
  });

  it('dead-letters a malformed request with the validation error, and never passes it', async () => {
    const good = request([{ id: 'x', address: (await app('healthy')).address }]);
    const envelope = createEnvelope('test', 'verification.requested', good);
    const connection = await amqplib.connect(bed.vhost.urlFor('orchestrator'));
    const channel = await connection.createConfirmChannel();
    const body = JSON.stringify({
      ...envelope,
      data: { ...good, servers: [{ id: 'x', address: 'no-port' }] },
    });
    channel.publish(EVENTS_EXCHANGE, 'verification.requested', Buffer.from(body), {
      persistent: true,
      userId: 'conveyor-orchestrator',
    });
    await channel.waitForConfirms();
    await connection.close();

    const dlq = deadLetterQueueName('verifier');
    await waitFor(
      'the malformed request in the dead-letter queue',
      async () => (await bed.vhost.queueDepth(dlq)) === 1,
    );
    const [letter] = await bed.vhost.peek(dlq, 1);
    expect(String(letter!.headers['x-conveyor-error'])).toMatch(
      /^invalid verification.requested: data.servers.0.address: must be host:port/,
    );
    expect(bed.seen.of('verification.passed').some((e) => e.verificationId === good.verificationId)).toBe(
      false,
    );
  });

  it('watches a bake window and reports a server that degrades, so the orchestrator can roll back', async () => {
    const steady = await app('healthy');
    const failing = await app('healthy');
    const deploymentId = randomUUID();
    const bakeId = randomUUID();
    await bed.publish('verification.bake.requested', {
      bakeId,
      deploymentId,
      service: 'billing',
      environment: 'prod',
      expectedVersion: VERSION,
      servers: [
        { id: 'steady', address: steady.address },
        { id: 'failing', address: failing.address },
      ],
      // Room for a busy machine: a slow answer must not pass for the 500 this test is about.
      health: { ...health, requestTimeoutMs: 900 },
      intervalSeconds: 1,
      durationSeconds: 60,
      failureThreshold: 2,
    });
    await waitFor('a first probe', () => failing.healthRequests >= 1);
    failing.setBehaviour('error');

    const degraded = await waitFor(
      'health.degraded',
      () => bed.seen.of('health.degraded').find((e) => e.deploymentId === deploymentId),
      { timeoutMs: 15_000 },
    );
    expect(degraded.servers).toEqual(['failing']);
    expect(degraded.detail).toMatch(/^failing failed 2 probes in a row \(last: answered 500, expected 200/);
    const completed = await waitFor('the end of the bake', () =>
      bed.seen.of('verification.bake.completed').find((e) => e.bakeId === bakeId),
    );
    expect(completed.outcome).toBe('degraded');
  });

  it('ends a quiet bake window as healthy', async () => {
    const bakeId = randomUUID();
    await bed.publish('verification.bake.requested', {
      bakeId,
      deploymentId: randomUUID(),
      service: 'billing',
      environment: 'prod',
      expectedVersion: VERSION,
      servers: [{ id: 'steady', address: (await app('healthy')).address }],
      health,
      intervalSeconds: 1,
      durationSeconds: 2,
    });
    const completed = await waitFor(
      'the end of the bake',
      () => bed.seen.of('verification.bake.completed').find((e) => e.bakeId === bakeId),
      { timeoutMs: 10_000 },
    );
    expect(completed).toMatchObject({
      outcome: 'healthy',
      detail: expect.stringContaining('stayed healthy'),
    });
    expect(completed.probes).toBeGreaterThanOrEqual(1);
  });
});
