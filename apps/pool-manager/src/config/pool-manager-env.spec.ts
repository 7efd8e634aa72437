import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadEnv } from '@conveyor/service-kit';
import { poolManagerEnv } from './pool-manager-env';

const base = {
  AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672/',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/conveyor',
};
const valid = {
  instances: [
    { id: 'lb-a', socket: '/run/haproxy/admin.sock' },
    { id: 'lb-b', socket: '10.0.0.2:9999', timeoutMs: 1500 },
  ],
  pools: [
    { name: 'web', instances: ['lb-a', 'lb-b'], onlineBackend: 'be_web', maintenanceBackend: 'be_web_maint' },
  ],
};

function problems(env: Record<string, string>): string[] {
  try {
    loadEnv('pool-manager', poolManagerEnv, { ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('pool manager environment', () => {
  it('reads the pools from a YAML file, with default timings', () => {
    const directory = mkdtempSync(join(tmpdir(), 'pools-'));
    const file = join(directory, 'pools.yaml');
    writeFileSync(
      file,
      'instances:\n  - id: lb-a\n    socket: /run/haproxy/admin.sock\npools:\n  - name: web\n    instances: [lb-a]\n    onlineBackend: be_web\n    maintenanceBackend: be_web_maint\n',
    );
    const env = loadEnv('pool-manager', poolManagerEnv, { ...base, POOLS_CONFIG: file });
    expect(env.settings).toEqual({
      pools: {
        instances: [{ id: 'lb-a', socket: '/run/haproxy/admin.sock' }],
        pools: [
          { name: 'web', instances: ['lb-a'], onlineBackend: 'be_web', maintenanceBackend: 'be_web_maint' },
        ],
      },
      reconcileIntervalMs: 1000,
      operationPollMs: 200,
      operationLeaseMs: 10_000,
      haproxyTimeoutMs: 2000,
      statePollMs: 100,
    });
    expect(env.PORT).toBe(3002);
  });

  it('reads inline JSON and the timings', () => {
    const env = loadEnv('pool-manager', poolManagerEnv, {
      ...base,
      POOLS_CONFIG_JSON: JSON.stringify(valid),
      RECONCILE_INTERVAL_MS: '500',
    });
    expect(env.settings.pools).toEqual(valid);
    expect(env.settings.reconcileIntervalMs).toBe(500);
  });

  it('refuses to start without a configuration, or with both', () => {
    expect(problems({})).toEqual([
      'POOLS_CONFIG: is required (a YAML/JSON file), or POOLS_CONFIG_JSON (inline)',
    ]);
    expect(problems({ POOLS_CONFIG: '/x', POOLS_CONFIG_JSON: '{}' })).toEqual([
      'POOLS_CONFIG: set POOLS_CONFIG or POOLS_CONFIG_JSON, not both',
    ]);
  });

  it('names an unreadable file and unparseable text', () => {
    expect(problems({ POOLS_CONFIG: '/nonexistent/pools.yaml' })).toEqual([
      expect.stringMatching(/^POOLS_CONFIG: cannot read \/nonexistent\/pools.yaml: ENOENT/),
    ]);
    expect(problems({ POOLS_CONFIG_JSON: '{"instances": [' })).toEqual([
      expect.stringMatching(/^POOLS_CONFIG_JSON: is not valid YAML or JSON: /),
    ]);
  });

  it('names every problem of the pools: references, duplicates, clashes, addresses', () => {
    const broken = {
      instances: [
        { id: 'lb-a', socket: '/run/haproxy/admin.sock' },
        { id: 'lb-a', socket: 'not an address;' },
      ],
      pools: [
        { name: 'web', instances: ['lb-a', 'lb-x'], onlineBackend: 'be_web', maintenanceBackend: 'be_web' },
        { name: 'api', instances: ['lb-a'], onlineBackend: 'be_web', maintenanceBackend: 'be_api_maint' },
      ],
    };
    const found = problems({ POOLS_CONFIG_JSON: JSON.stringify(broken) });
    expect(found).toEqual([
      expect.stringMatching(/^POOLS_CONFIG_JSON: instances\.1\.socket: /),
      'POOLS_CONFIG_JSON: instances.1.id: instance id "lb-a" appears twice',
      'POOLS_CONFIG_JSON: pools.0: pool "web": onlineBackend and maintenanceBackend must differ',
      'POOLS_CONFIG_JSON: pools.0.instances.1: pool "web" names unknown instance "lb-x"',
      'POOLS_CONFIG_JSON: pools.1: backend "be_web" on instance "lb-a" belongs to pools "web" and "api"',
    ]);
  });

  it('refuses unknown keys and a pool without instances', () => {
    const found = problems({
      POOLS_CONFIG_JSON: JSON.stringify({
        ...valid,
        pools: [{ ...valid.pools[0], instances: [], backend: 'x' }],
      }),
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'POOLS_CONFIG_JSON: pools.0.instances: a pool needs at least one instance',
        expect.stringMatching(/^POOLS_CONFIG_JSON: pools\.0: Unrecognized key.*backend/),
      ]),
    );
  });
});
