/** A server listed in both the online and the maintenance backend. */
export interface HaproxyServerSpec {
  readonly name: string;
  readonly host?: string;
  readonly port: number;
  /** Initial weight; at least 100 so that "50%" does not round to 0. Default 100. */
  readonly weight?: number;
  /** Health-checked (default true). */
  readonly check?: boolean;
}

export interface HealthCheckSpec {
  readonly path: string;
  readonly interMs: number;
  readonly rise: number;
  readonly fall: number;
}

/** Everything `renderHaproxyConfig` needs; ports and paths already decided. */
export interface HaproxyConfigSpec {
  readonly onlineFrontend: { readonly name: string; readonly port: number };
  readonly maintenanceFrontend: { readonly name: string; readonly port: number };
  readonly onlineBackend: string;
  readonly maintenanceBackend: string;
  readonly servers: readonly HaproxyServerSpec[];
  readonly healthCheck: HealthCheckSpec;
  readonly adminSocketPath: string;
  /** A second admin socket on TCP (127.0.0.1:port). */
  readonly tcpAdminSocketPort?: number;
  /** A socket at `level user`, to test permission errors. */
  readonly userSocketPath?: string;
  /** Keep runtime states across restarts (off by default: tests want reload drift). */
  readonly serverStateFile?: string;
  /** Master-worker mode: listeners handed over to the new worker on reload (`expose-fd listeners`). */
  readonly masterWorker?: boolean;
  /**
   * The maintenance backend sends a request carrying this header to the server it names, up or not
   * (`use-server` + `force-persist`, no redispatch): how checks reach one server of a batch.
   */
  readonly maintenanceServerHeader?: string;
  readonly timeouts: { readonly connectMs: number; readonly clientMs: number; readonly serverMs: number };
}

export const DEFAULT_HEALTH_CHECK: HealthCheckSpec = { path: '/health', interMs: 200, rise: 2, fall: 2 };
export const MIN_SERVER_WEIGHT = 100;

const NAME = /^[A-Za-z0-9_.:-]+$/;

/** Checks a spec and names the first problem found; returns the list of problems. */
export function validateHaproxyConfigSpec(spec: HaproxyConfigSpec): string[] {
  const problems: string[] = [];
  const names = [
    spec.onlineFrontend.name,
    spec.maintenanceFrontend.name,
    spec.onlineBackend,
    spec.maintenanceBackend,
  ];
  for (const name of names) {
    if (!NAME.test(name)) problems.push(`proxy name "${name}" must match ${NAME.source}`);
  }
  if (new Set(names).size !== names.length) problems.push(`proxy names must differ: ${names.join(', ')}`);
  if (spec.servers.length === 0) problems.push('at least one server is needed');
  if (
    spec.maintenanceServerHeader !== undefined &&
    !/^[A-Za-z0-9-]{1,64}$/.test(spec.maintenanceServerHeader)
  )
    problems.push(`maintenanceServerHeader "${spec.maintenanceServerHeader}" must be an HTTP header name`);
  const seen = new Set<string>();
  for (const server of spec.servers) {
    if (!NAME.test(server.name)) problems.push(`server name "${server.name}" must match ${NAME.source}`);
    if (seen.has(server.name)) problems.push(`server name "${server.name}" appears twice`);
    seen.add(server.name);
    if (!Number.isInteger(server.port) || server.port < 1 || server.port > 65535) {
      problems.push(`server ${server.name}: port ${server.port} is not in 1..65535`);
    }
    const weight = server.weight ?? MIN_SERVER_WEIGHT;
    if (!Number.isInteger(weight) || weight < MIN_SERVER_WEIGHT || weight > 256) {
      problems.push(
        `server ${server.name}: weight ${weight} must be an integer in ${MIN_SERVER_WEIGHT}..256`,
      );
    }
  }
  const { healthCheck } = spec;
  if (!healthCheck.path.startsWith('/') || /\s/.test(healthCheck.path)) {
    problems.push(`health check path "${healthCheck.path}" must start with "/" and contain no spaces`);
  }
  for (const [label, value] of [
    ['interMs', healthCheck.interMs],
    ['rise', healthCheck.rise],
    ['fall', healthCheck.fall],
  ] as const) {
    if (!Number.isInteger(value) || value < 1)
      problems.push(`health check ${label} ${value} must be a positive integer`);
  }
  return problems;
}

/** Renders haproxy.cfg: unprivileged, foreground-friendly (no user/group/chroot/daemon). */
export function renderHaproxyConfig(spec: HaproxyConfigSpec): string {
  const problems = validateHaproxyConfigSpec(spec);
  if (problems.length > 0) {
    throw new Error(`Invalid HAProxy test configuration: ${problems.join('; ')}`);
  }
  const { healthCheck: hc, timeouts } = spec;
  const global = [
    'global',
    `  stats socket ${spec.adminSocketPath} mode 600 level admin${spec.masterWorker ? ' expose-fd listeners' : ''}`,
    ...(spec.tcpAdminSocketPort
      ? [`  stats socket ipv4@127.0.0.1:${spec.tcpAdminSocketPort} level admin`]
      : []),
    ...(spec.userSocketPath ? [`  stats socket ${spec.userSocketPath} mode 600 level user`] : []),
    '  stats timeout 10s',
    ...(spec.serverStateFile ? [`  server-state-file ${spec.serverStateFile}`] : []),
  ];
  const defaults = [
    'defaults',
    '  mode http',
    '  option redispatch',
    '  retries 2',
    `  timeout connect ${timeouts.connectMs}ms`,
    `  timeout client ${timeouts.clientMs}ms`,
    `  timeout server ${timeouts.serverMs}ms`,
    `  timeout check ${Math.max(hc.interMs, 100)}ms`,
    ...(spec.serverStateFile ? ['  load-server-state-from-file global'] : []),
    `  default-server inter ${hc.interMs}ms fastinter ${hc.interMs}ms downinter ${hc.interMs}ms rise ${hc.rise} fall ${hc.fall}`,
  ];
  const frontend = (name: string, port: number, backend: string): string[] => [
    `frontend ${name}`,
    `  bind 127.0.0.1:${port}`,
    `  default_backend ${backend}`,
  ];
  const header = spec.maintenanceServerHeader?.toLowerCase();
  const routeByHeader = (name: string): string[] =>
    name === spec.maintenanceBackend && header !== undefined
      ? [
          '  no option redispatch',
          `  force-persist if { req.hdr(${header}) -m found }`,
          ...spec.servers.map(
            (server) => `  use-server ${server.name} if { req.hdr(${header}) -m str ${server.name} }`,
          ),
        ]
      : [];
  const backend = (name: string): string[] => [
    `backend ${name}`,
    '  balance roundrobin',
    ...routeByHeader(name),
    `  option httpchk GET ${hc.path}`,
    '  http-check expect status 200',
    ...spec.servers.map(
      (server) =>
        `  server ${server.name} ${server.host ?? '127.0.0.1'}:${server.port}` +
        `${server.check === false ? '' : ' check'} weight ${server.weight ?? MIN_SERVER_WEIGHT}`,
    ),
  ];
  return [
    ...global,
    '',
    ...defaults,
    '',
    ...frontend(spec.onlineFrontend.name, spec.onlineFrontend.port, spec.onlineBackend),
    '',
    ...frontend(spec.maintenanceFrontend.name, spec.maintenanceFrontend.port, spec.maintenanceBackend),
    '',
    ...backend(spec.onlineBackend),
    '',
    ...backend(spec.maintenanceBackend),
    '',
  ].join('\n');
}
