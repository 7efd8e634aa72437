import {
  DEFAULT_HEALTH_CHECK,
  renderHaproxyConfig,
  validateHaproxyConfigSpec,
  type HaproxyConfigSpec,
} from './haproxy-config';

const spec: HaproxyConfigSpec = {
  onlineFrontend: { name: 'fe_online', port: 20001 },
  maintenanceFrontend: { name: 'fe_maintenance', port: 20002 },
  onlineBackend: 'be_online',
  maintenanceBackend: 'be_maintenance',
  servers: [
    { name: 's1', port: 30001 },
    { name: 's2', port: 30002, weight: 200, check: false },
  ],
  healthCheck: DEFAULT_HEALTH_CHECK,
  adminSocketPath: '/tmp/x/admin.sock',
  timeouts: { connectMs: 1000, clientMs: 30000, serverMs: 30000 },
};

describe('renderHaproxyConfig', () => {
  const config = renderHaproxyConfig(spec);
  const section = (header: string): string => {
    const start = config.indexOf(`\n${header}\n`) + 1;
    const end = config.indexOf('\n\n', start);
    return config.slice(start, end < 0 ? undefined : end);
  };

  it('routes each frontend to its own backend', () => {
    expect(section('frontend fe_online')).toContain('bind 127.0.0.1:20001\n  default_backend be_online');
    expect(section('frontend fe_maintenance')).toContain(
      'bind 127.0.0.1:20002\n  default_backend be_maintenance',
    );
  });

  it('lists the same servers in both backends, checked with GET /health, weight 100 by default', () => {
    for (const backend of ['backend be_online', 'backend be_maintenance']) {
      expect(section(backend)).toContain('option httpchk GET /health');
      expect(section(backend)).toContain('server s1 127.0.0.1:30001 check weight 100');
      expect(section(backend)).toContain('server s2 127.0.0.1:30002 weight 200');
    }
  });

  it('checks every 200 ms and runs unprivileged with an admin socket and no state file', () => {
    expect(config).toContain('default-server inter 200ms');
    expect(config).toContain('stats socket /tmp/x/admin.sock mode 600 level admin');
    expect(config).not.toMatch(/^\s*(user|group|chroot|daemon)\b/m);
    expect(config).not.toContain('server-state-file');
  });

  it('adds the optional TCP, user-level sockets and state file when asked', () => {
    const full = renderHaproxyConfig({
      ...spec,
      tcpAdminSocketPort: 20003,
      userSocketPath: '/tmp/x/user.sock',
      serverStateFile: '/tmp/x/state',
    });
    expect(full).toContain('stats socket ipv4@127.0.0.1:20003 level admin');
    expect(full).toContain('stats socket /tmp/x/user.sock mode 600 level user');
    expect(full).toContain('server-state-file /tmp/x/state');
    expect(full).toContain('load-server-state-from-file global');
  });
});

describe('validateHaproxyConfigSpec', () => {
  it('accepts the example', () => {
    expect(validateHaproxyConfigSpec(spec)).toEqual([]);
  });

  it('names every problem', () => {
    const problems = validateHaproxyConfigSpec({
      ...spec,
      maintenanceBackend: 'be_online',
      servers: [
        { name: 's1', port: 30001, weight: 1 },
        { name: 's1', port: 0 },
        { name: 'bad name', port: 30003 },
      ],
      healthCheck: { ...DEFAULT_HEALTH_CHECK, interMs: 0 },
    });
    expect(problems).toEqual([
      'proxy names must differ: fe_online, fe_maintenance, be_online, be_online',
      'server s1: weight 1 must be an integer in 100..256',
      'server name "s1" appears twice',
      'server s1: port 0 is not in 1..65535',
      'server name "bad name" must match ^[A-Za-z0-9_.:-]+$',
      'health check interMs 0 must be a positive integer',
    ]);
    expect(() => renderHaproxyConfig({ ...spec, servers: [] })).toThrow(
      'Invalid HAProxy test configuration: at least one server is needed',
    );
  });
});
