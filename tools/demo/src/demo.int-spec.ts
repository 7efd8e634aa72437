import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDemo, type DemoSummary } from './demo-scenario';

/**
 * The end-to-end scenario of `npm run demo` on a smaller fleet (three production servers): every
 * service as its own process, real HAProxy, agents, RabbitMQ and PostgreSQL, customer traffic through
 * HAProxy during all rollouts.
 */
describe('Conveyor end to end', () => {
  let summary: DemoSummary;
  let workDir: string;
  const lines: string[] = [];

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'conveyor-e2e-'));
    summary = await runDemo({
      workDir,
      productionServers: 3,
      loadConcurrency: 4,
      log: (line) => lines.push(line),
    });
  }, 600_000);

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('fails no customer request through HAProxy while three releases roll out', () => {
    expect(summary.load.sent).toBeGreaterThan(100);
    expect(summary.load.slow).toBeGreaterThan(0);
    expect(summary.load.failures).toEqual([]);
    expect(summary.load.failed).toBe(0);
  });

  it('takes 1.0.0 and 2.0.0 through dev, qa, staging and prod', () => {
    for (const version of ['1.0.0', '2.0.0']) {
      const path = summary.deployments
        .filter((d) => d.version === version)
        .map((d) => `${d.environment}:${d.status}`);
      expect(path).toEqual(['dev:succeeded', 'qa:succeeded', 'staging:succeeded', 'prod:succeeded']);
    }
  });

  it('rolls the broken 3.0.0 back on its production canary and leaves production on 2.0.0', () => {
    const prod = summary.deployments.find((d) => d.version === '3.0.0' && d.environment === 'prod');
    expect(prod?.status).toBe('rolled_back');
    expect(prod?.reason).toMatch(/web-1/);
    expect(summary.serverVersions).toEqual({
      'dev-1': '3.0.0',
      'qa-1': '3.0.0',
      'stg-1': '3.0.0',
      'web-1': '2.0.0',
      'web-2': '2.0.0',
      'web-3': '2.0.0',
    });
  });

  it('exports an audit log that verifies offline with the public key alone', () => {
    expect(summary.audit.verified).toBe(true);
    expect(summary.audit.entries).toBeGreaterThan(100);
    expect(summary.checks.filter((c) => !c.ok)).toEqual([]);
  });
});
