import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateSigningKeyPair } from '@conveyor/signing-keys';
import {
  buildArtifact,
  startArtifactServer,
  startFleet,
  startRelease,
  type BuildArtifactOptions,
  type BuiltArtifact,
  type RunningFleet,
} from '@conveyor/fleet';
import {
  createTestDatabase,
  createTestVhost,
  findFreePorts,
  startHaproxy,
  type HaproxyHandle,
  type TestDatabase,
  type TestVhost,
} from '@conveyor/testing';
import { runServiceMigration, startServiceProcess, type ServiceProcess } from './service-processes';

export interface DemoEnvironmentOptions {
  workDir: string;
  /** Servers per environment, in promotion order; the last environment is production. */
  environments: readonly { name: string; idPrefix: string; servers: number }[];
  /** The version every server runs before the demo starts. */
  initialVersion: string;
  log: (line: string) => void;
  /** Copies of every service, each its own process on its own port. Default 1. */
  replicas?: number;
  /**
   * HAProxy in master-worker mode with a server-state-file, so it can be reloaded gracefully (what
   * the shipped reload hook does); the pool manager is given the master CLI. Default false.
   */
  reloadableHaproxy?: boolean;
  /** More environment per service (e.g. shorter timeouts for fault tests). */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
}

export const SERVICE_NAMES = ['audit', 'pipeline', 'orchestrator', 'pool-manager', 'verifier'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface DemoEnvironment {
  /** The first replica of each service (the one the demo's clients talk to). */
  services: Record<ServiceName, ServiceProcess>;
  /** Every replica of each service. */
  replicas: Record<ServiceName, ServiceProcess[]>;
  fleets: Record<string, RunningFleet>;
  haproxy: Record<string, HaproxyHandle>;
  artifactUrl(artifact: BuiltArtifact): string;
  /** Builds the sample app at `version`; `hooks` replace its hooks (e.g. a slow after-install). */
  buildArtifact(
    version: string,
    broken?: { onServersPrefixed: string },
    hooks?: BuildArtifactOptions['hooks'],
  ): Promise<BuiltArtifact>;
  adminToken: string;
  auditPublicKeyPem: string;
  /** The RabbitMQ vhost and PostgreSQL database everything shares (fault tests take them away). */
  vhost: TestVhost;
  database: TestDatabase;
  tearDown(): Promise<void>;
}

/**
 * Everything the demo runs on, all on this machine: a RabbitMQ vhost and a PostgreSQL database of its
 * own, signing keys, an artifact server, one HAProxy (online + maintenance backends) and a fleet of
 * servers with their agents per environment, and the five Conveyor services as processes.
 */
export async function setUpDemoEnvironment(options: DemoEnvironmentOptions): Promise<DemoEnvironment> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const tearDown = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const { workDir, log } = options;
    await mkdir(join(workDir, 'logs'), { recursive: true });
    const [vhost, database] = await Promise.all([
      createTestVhost('conveyor-demo'),
      createTestDatabase('conveyor_demo'),
    ]);
    cleanups.push(
      () => vhost.delete(),
      () => database.drop(),
    );
    log(`RabbitMQ vhost ${vhost.name}, PostgreSQL database ${database.name}`);

    const keys = join(workDir, 'keys');
    await mkdir(keys, { recursive: true });
    const orchestratorKeys = generateSigningKeyPair();
    const auditKeys = generateSigningKeyPair();
    await writeFile(join(keys, 'orchestrator.key.pem'), orchestratorKeys.privateKeyPem, { mode: 0o600 });
    await writeFile(join(keys, 'orchestrator.pub.pem'), orchestratorKeys.publicKeyPem);
    await writeFile(join(keys, 'audit.key.pem'), auditKeys.privateKeyPem, { mode: 0o600 });
    await writeFile(join(keys, 'audit.pub.pem'), auditKeys.publicKeyPem);

    const artifactDir = join(workDir, 'artifacts');
    const artifactServer = await startArtifactServer(artifactDir);
    cleanups.push(() => artifactServer.close());
    const build = (
      version: string,
      broken?: { onServersPrefixed: string },
      hooks?: BuildArtifactOptions['hooks'],
    ) =>
      buildArtifact({
        version,
        format: 'tar.gz',
        outDir: artifactDir,
        broken,
        ...(hooks === undefined ? {} : { hooks, label: 'hooked' }),
      });
    const initial = await build(options.initialVersion);

    const fleets: Record<string, RunningFleet> = {};
    const haproxy: Record<string, HaproxyHandle> = {};
    for (const environment of options.environments) {
      // Each agent logs in as its own broker user conveyor-agent-<nodeId>, created in the vhost.
      for (let index = 1; index <= environment.servers; index += 1)
        await vhost.addAgent(`${environment.idPrefix}-${index}`);
      const fleet = await startFleet({
        n: environment.servers,
        baseDir: join(workDir, 'fleet', environment.name),
        amqpUrl: (nodeId) => vhost.urlFor(`agent:${nodeId}`),
        trustedKeys: [orchestratorKeys.publicKeyPem],
        facts: { service: 'sample-app', environment: environment.name, role: 'web', os: 'linux' },
        idPrefix: environment.idPrefix,
        env: { LOG_LEVEL: 'info' },
      });
      cleanups.push(() => fleet.stop());
      fleets[environment.name] = fleet;
      await Promise.all(fleet.servers.map((server) => startRelease(server, initial.path)));
      haproxy[environment.name] = await startHaproxy({
        servers: fleet.servers.map((server) => ({ name: server.id, port: server.port })),
        clientTimeoutMs: 30_000,
        masterWorker: options.reloadableHaproxy === true,
        serverStateFile: options.reloadableHaproxy === true,
        // How checks reach one server of a batch through the maintenance frontend.
        maintenanceServerHeader: 'X-Conveyor-Server',
      });
      cleanups.push(() => haproxy[environment.name].stop());
      log(
        `${environment.name}: ${fleet.servers.map((s) => s.id).join(', ')} on ${options.initialVersion}, ` +
          `HAProxy ${haproxy[environment.name].onlineUrl} (maintenance ${haproxy[environment.name].maintenanceUrl})`,
      );
    }

    const poolsConfig = {
      instances: options.environments.map((e) => ({
        id: `lb-${e.name}`,
        socket: haproxy[e.name].socketPath,
        ...(haproxy[e.name].masterSocketPath === undefined
          ? {}
          : { masterSocket: haproxy[e.name].masterSocketPath }),
        ...(haproxy[e.name].serverStateFile === undefined
          ? {}
          : { serverStateFile: haproxy[e.name].serverStateFile }),
      })),
      pools: options.environments.map((e) => ({
        name: `sample-app-${e.name}`,
        instances: [`lb-${e.name}`],
        onlineBackend: haproxy[e.name].onlineBackend,
        maintenanceBackend: haproxy[e.name].maintenanceBackend,
      })),
    };
    const adminToken = `demo-admin-${Date.now()}-0123456789abcdef`;
    const auditCheckpointDir = join(workDir, 'audit-checkpoints');
    const common = {
      LOG_LEVEL: 'info',
      DATABASE_POOL_SIZE: '5',
    };
    const specific: Record<string, Record<string, string>> = {
      pipeline: { PIPELINE_ADMIN_TOKEN: adminToken },
      orchestrator: {
        ORCHESTRATOR_SIGNING_KEY: join(keys, 'orchestrator.key.pem'),
        ORCHESTRATOR_AGENT_SILENCE_MS: '10000',
      },
      'pool-manager': { POOLS_CONFIG_JSON: JSON.stringify(poolsConfig) },
      verifier: { VERIFIER_WORK_DIR: join(workDir, 'verifier') },
      audit: {
        AUDIT_SIGNING_KEY: join(keys, 'audit.key.pem'),
        AUDIT_DATA_DIR: join(workDir, 'audit'),
        AUDIT_CHECKPOINT_DIR: auditCheckpointDir,
        AUDIT_CHECKPOINT_INTERVAL_MS: '2000',
      },
    };
    // Each service logs into PostgreSQL as itself (the roles createTestDatabase made, as
    // deploy/postgres/conveyor-logins.sql does); the audit schema is migrated first by its owner.
    await mkdir(auditCheckpointDir, { recursive: true });
    await runServiceMigration('audit', database.auditOwnerUrl, join(workDir, 'logs'));
    const copies = options.replicas ?? 1;
    const ports = await findFreePorts(SERVICE_NAMES.length * copies);
    const replicas = Object.fromEntries(SERVICE_NAMES.map((name) => [name, []])) as unknown as Record<
      ServiceName,
      ServiceProcess[]
    >;
    for (const [i, name] of SERVICE_NAMES.entries()) {
      for (let copy = 0; copy < copies; copy += 1) {
        const processName = copies === 1 ? name : `${name}-${copy + 1}`;
        const env = {
          ...common,
          // Each service logs into RabbitMQ as its own least-privileged user (generated permissions)
          // and into PostgreSQL as its own login; replicas share both, as in production.
          AMQP_URL: vhost.urlFor(name),
          DATABASE_URL: database.loginUrl(name),
          ...specific[name],
          ...(name === 'verifier' ? { VERIFIER_WORK_DIR: join(workDir, processName) } : {}),
          ...options.serviceEnv?.[name],
        };
        const started = await startServiceProcess(
          processName,
          ports[i * copies + copy],
          env,
          join(workDir, 'logs'),
          name,
        );
        cleanups.push(() => started.stop());
        replicas[name].push(started);
        log(`${processName} on ${started.url} (log ${started.logFile})`);
      }
    }
    const services = Object.fromEntries(SERVICE_NAMES.map((name) => [name, replicas[name][0]])) as Record<
      ServiceName,
      ServiceProcess
    >;

    return {
      services,
      replicas,
      fleets,
      haproxy,
      artifactUrl: (artifact) => `${artifactServer.url}/${artifact.path.split('/').pop()}`,
      buildArtifact: build,
      adminToken,
      auditPublicKeyPem: auditKeys.publicKeyPem,
      vhost,
      database,
      tearDown,
    };
  } catch (error) {
    await tearDown();
    throw error;
  }
}
