import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { generateSigningKeyPair } from '@conveyor/signing-keys';
import {
  knownVariables,
  loadAgentConfig,
  parsePoolsFile,
  problemsOf,
  SERVICE_NAMES,
  serviceEnvSchema,
  type ServiceName,
} from '../app-config-schemas';
import { readRepoFile, readYamlDocuments, repoFileExists, repoPath } from '../repo-files';

const COMPOSE_DIR = 'deploy/compose';

/** The subset of the compose specification this project relies on. */
const dependency = z.strictObject({
  condition: z.enum(['service_started', 'service_healthy', 'service_completed_successfully']),
});
const composeService = z.object({
  image: z.string().optional(),
  build: z
    .strictObject({
      context: z.string(),
      dockerfile: z.string(),
      args: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  command: z.array(z.string()).optional(),
  environment: z.record(z.string(), z.string()).optional(),
  depends_on: z.record(z.string(), dependency).optional(),
  volumes: z.array(z.string()).optional(),
  secrets: z
    .array(z.union([z.string(), z.strictObject({ source: z.string(), target: z.string() })]))
    .optional(),
  ports: z.array(z.string()).optional(),
  healthcheck: z
    .union([z.strictObject({ disable: z.literal(true) }), z.object({ test: z.array(z.string()).min(2) })])
    .optional(),
  restart: z.string().optional(),
});
const composeFile = z.strictObject({
  name: z.string(),
  services: z.record(z.string(), composeService),
  secrets: z.record(z.string(), z.strictObject({ file: z.string() })),
  volumes: z.record(z.string(), z.object({})),
});
type ComposeService = z.infer<typeof composeService>;

const [raw] = readYamlDocuments(COMPOSE_DIR, 'docker-compose.yml');
// x-* extension fields hold the anchors; compose itself ignores them.
const compose = composeFile.parse(
  Object.fromEntries(Object.entries(raw as Record<string, unknown>).filter(([key]) => !key.startsWith('x-'))),
);
const conveyorServices = Object.entries(compose.services).filter(
  ([, service]) => service.build?.args?.['SERVICE'] !== undefined,
);
const serviceOf = (name: string): ComposeService => {
  const service = compose.services[name];
  if (service === undefined) throw new Error(`no compose service ${name}`);
  return service;
};
const fromCompose = (path: string) => resolve(repoPath(COMPOSE_DIR), path);

/** `${VAR:-default}` as compose reads it with VAR unset. */
const interpolate = (value: string) => value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

describe('deploy/compose/docker-compose.yml', () => {
  it('runs RabbitMQ, PostgreSQL, HAProxy, every Conveyor service and a fleet of agents', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['rabbitmq', 'postgres', 'haproxy', ...SERVICE_NAMES, 'server-1', 'server-2']),
    );
    expect(serviceOf('rabbitmq').image).toMatch(/management/);
  });

  it('builds every Conveyor image from the Dockerfile, tagged conveyor/<service>:<version>', () => {
    const version = (JSON.parse(readRepoFile('package.json')) as { version: string }).version;
    // The five services, two agents, and the audit schema's one-off `migrate` (the audit image).
    expect(conveyorServices.length).toBe(8);
    for (const [name, service] of conveyorServices) {
      const target = service.build?.args?.['SERVICE'];
      expect([name, repoFileExists('apps', target ?? '?', 'tsconfig.build.json')]).toEqual([name, true]);
      expect(service.image).toBe(`conveyor/${target}:${version}`);
      expect(
        repoFileExists(
          resolve(fromCompose(service.build?.context ?? '?'), service.build?.dockerfile ?? '?').slice(
            repoPath().length,
          ),
        ),
      ).toBe(true);
    }
  });

  it('starts each service only once what it needs is healthy', () => {
    for (const name of SERVICE_NAMES) {
      expect([name, serviceOf(name).depends_on]).toEqual([
        name,
        expect.objectContaining({
          rabbitmq: { condition: 'service_healthy' },
          postgres: { condition: 'service_healthy' },
        }),
      ]);
    }
    expect(serviceOf('pool-manager').depends_on).toMatchObject({ haproxy: { condition: 'service_healthy' } });
    for (const dependency of ['rabbitmq', 'postgres', 'haproxy'])
      expect(serviceOf(dependency).healthcheck).toMatchObject({ test: expect.any(Array) });
    expect(serviceOf('server-1').depends_on).toEqual({ rabbitmq: { condition: 'service_healthy' } });
  });

  it('mounts files that exist, and keeps data in named volumes', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const [source] = volume.split(':');
        if (source.startsWith('.'))
          expect([name, source, repoFileExists(fromCompose(source).slice(repoPath().length))]).toEqual([
            name,
            source,
            true,
          ]);
        else expect([name, source, source in compose.volumes]).toEqual([name, source, true]);
      }
    }
    expect(serviceOf('postgres').volumes).toEqual(
      expect.arrayContaining([expect.stringMatching(/^postgres-data:/)]),
    );
    expect(serviceOf('rabbitmq').volumes).toEqual(
      expect.arrayContaining([expect.stringMatching(/^rabbitmq-data:/)]),
    );
  });

  it('gives every service an environment its own schema accepts, with no variable it does not read', () => {
    const keys = mkdtempSync(join(tmpdir(), 'compose-keys-'));
    const pair = generateSigningKeyPair();
    writeFileSync(join(keys, 'signing.key.pem'), pair.privateKeyPem);
    const hostPath = (value: string): string => {
      if (value.startsWith('/run/secrets/')) return join(keys, 'signing.key.pem'); // generated by the user (tools/keys)
      if (value === '/etc/conveyor/pools.yaml') return repoPath(COMPOSE_DIR, 'pools.yaml');
      return value;
    };
    for (const name of SERVICE_NAMES as ServiceName[]) {
      const env = Object.fromEntries(
        Object.entries(serviceOf(name).environment ?? {}).map(([key, value]) => [
          key,
          hostPath(interpolate(value)),
        ]),
      );
      const schema = serviceEnvSchema(name);
      expect([name, problemsOf(schema, env)]).toEqual([name, []]);
      expect([name, Object.keys(env).filter((key) => !knownVariables(schema).includes(key))]).toEqual([
        name,
        [],
      ]);
      expect(env['AMQP_URL']).toContain(`conveyor-${name}:`);
    }
  });

  it('configures each agent the way the agent reads it, with its own RabbitMQ user', () => {
    const pair = generateSigningKeyPair();
    for (const server of ['server-1', 'server-2']) {
      const env: Record<string, string> = {
        ...serviceOf(server).environment,
        AGENT_TRUSTED_KEYS: pair.publicKeyPem,
      };
      const config = loadAgentConfig(env);
      expect(env['AMQP_URL']).toContain(`conveyor-agent-${config.nodeId}:`);
      expect(config.facts).toMatchObject({ service: 'sample-app', address: `${server}:8000` });
    }
  });

  it('hands the pool manager a pools file it accepts, naming backends the HAProxy configuration has', () => {
    expect(parsePoolsFile(repoPath(COMPOSE_DIR, 'pools.yaml'))).toMatchObject({ ok: true });
    const haproxy = readRepoFile('deploy', 'haproxy', 'haproxy.cfg');
    const [pools] = readYamlDocuments(COMPOSE_DIR, 'pools.yaml') as {
      pools: { onlineBackend: string; maintenanceBackend: string }[];
      instances: { socket: string }[];
    }[];
    for (const pool of pools.pools) {
      expect(haproxy).toContain(`backend ${pool.onlineBackend}\n`);
      expect(haproxy).toContain(`backend ${pool.maintenanceBackend}\n`);
    }
    const port = /stats socket ipv4@0\.0\.0\.0:(\d+) level admin/.exec(haproxy)?.[1];
    expect(pools.instances.map((instance) => instance.socket)).toEqual([`tcp://haproxy:${port}`]);
  });

  it('runs HAProxy so that a reload keeps drained servers out: master-worker, state file, the hook', () => {
    const service = serviceOf('haproxy');
    const dockerfile = readRepoFile(service.build?.dockerfile ?? 'no build');
    const haproxy = readRepoFile('deploy', 'haproxy', 'haproxy.cfg');
    // The hook is in the image, with what it needs.
    expect(dockerfile).toMatch(
      /COPY --chmod=0755 deploy\/haproxy\/haproxy-reload\.sh \/usr\/local\/bin\/haproxy-reload/,
    );
    expect(dockerfile).toMatch(/apt-get install -y --no-install-recommends socat/);
    // Master-worker with a master CLI the pools file names, and the state file the config loads.
    const masterPort = /"-W", "-db", "-S", "ipv4@0\.0\.0\.0:(\d+)"/.exec(dockerfile)?.[1];
    const [pools] = readYamlDocuments(COMPOSE_DIR, 'pools.yaml') as {
      instances: { masterSocket?: string }[];
    }[];
    expect(pools.instances.map((instance) => instance.masterSocket)).toEqual([`tcp://haproxy:${masterPort}`]);
    const stateFile = /^\s*server-state-file (\S+)$/m.exec(haproxy)?.[1];
    expect(haproxy).toMatch(/^\s*load-server-state-from-file global$/m);
    expect(dockerfile).toContain(`HAPROXY_SERVER_STATE_FILE=${stateFile}`);
    expect(dockerfile).toContain(`HAPROXY_MASTER_SOCKET=127.0.0.1:${masterPort}`);
    const statsPort = /stats socket ipv4@0\.0\.0\.0:(\d+) level admin/.exec(haproxy)?.[1];
    expect(dockerfile).toContain(`HAPROXY_STATS_SOCKET=127.0.0.1:${statsPort}`);
    // The state survives the container: kept in a named volume where the config writes it.
    expect(service.volumes).toContain(`haproxy-state:${stateFile?.replace(/\/[^/]+$/, '')}`);
  });
});
