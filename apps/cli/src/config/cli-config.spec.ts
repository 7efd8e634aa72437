import { configFilePath, resolveConfig, type ConfigSources } from './cli-config';

const noFile = { path: '/home/op/.config/conveyor/config.json', explicit: false, contents: null };
const file = (contents: object | string, explicit = false) => ({
  path: '/home/op/.config/conveyor/config.json',
  explicit,
  contents: typeof contents === 'string' ? contents : JSON.stringify(contents),
});
const resolve = (sources: Partial<ConfigSources>) =>
  resolveConfig({ flags: {}, env: {}, file: noFile, ...sources });

describe('resolving where the CLI talks to and with which token', () => {
  it('takes a flag over the environment over the config file, and says where each value came from', () => {
    const result = resolve({
      flags: { url: 'http://flag:3000' },
      env: {
        CONVEYOR_URL: 'http://env:3000',
        CONVEYOR_TOKEN: 'cvy_env',
        CONVEYOR_AUDIT_URL: 'http://audit-env:3004',
      },
      file: file({
        url: 'http://file:3000',
        token: 'cvy_file',
        auditUrl: 'http://audit-file:3004',
        poolsUrl: 'http://pools-file:3002',
      }),
    });
    expect(result).toEqual({
      ok: true,
      config: {
        configPath: '/home/op/.config/conveyor/config.json',
        settings: {
          url: { value: 'http://flag:3000', source: 'flag' },
          token: { value: 'cvy_env', source: 'env' },
          auditUrl: { value: 'http://audit-env:3004', source: 'env' },
          poolsUrl: { value: 'http://pools-file:3002', source: 'file' },
        },
      },
    });
  });

  it('treats an empty flag or variable as not given', () => {
    const result = resolve({
      flags: { token: '' },
      env: { CONVEYOR_TOKEN: '' },
      file: file({ token: 'cvy_file' }),
    });
    expect(result.ok && result.config.settings.token).toEqual({ value: 'cvy_file', source: 'file' });
  });

  it('drops a trailing slash so paths join cleanly, and keeps a path prefix', () => {
    const result = resolve({ env: { CONVEYOR_URL: 'https://ci.example.com/conveyor/' } });
    expect(result.ok && result.config.settings.url?.value).toBe('https://ci.example.com/conveyor');
  });

  it('refuses a URL that is not http(s), naming where it came from', () => {
    const result = resolve({
      env: { CONVEYOR_URL: 'pipeline:3000' },
      file: file({ poolsUrl: 'ftp://pools' }),
    });
    expect(result).toEqual({
      ok: false,
      problems: [
        'CONVEYOR_URL: must be an http:// or https:// URL, got "pipeline:3000"',
        '"poolsUrl" in /home/op/.config/conveyor/config.json: must be an http:// or https:// URL, got "ftp://pools"',
      ],
    });
  });

  it('is fine without the default config file, but not without one the user named', () => {
    expect(resolve({}).ok).toBe(true);
    expect(resolve({ file: { path: '/etc/conveyor.json', explicit: true, contents: null } })).toEqual({
      ok: false,
      problems: ['config file /etc/conveyor.json does not exist'],
    });
  });

  it('says which key of the config file is unknown or of the wrong type, and when it is not JSON', () => {
    const unknown = resolve({ file: file({ url: 'http://p:3000', tokne: 'x' }) });
    expect(unknown.ok === false && unknown.problems[0]).toMatch(
      /unknown key "tokne" \(known: url, token, auditUrl, auditToken, poolsUrl, orchestratorUrl\)/,
    );
    const wrongType = resolve({ file: file({ token: 42 }) });
    expect(wrongType.ok === false && wrongType.problems[0]).toMatch(/"token" must be a string/);
    const broken = resolve({ file: file('{ "url": ') });
    expect(broken.ok === false && broken.problems[0]).toMatch(
      /^config file \/home\/op\/.config\/conveyor\/config.json is not valid JSON/,
    );
  });
});

describe('the config file path', () => {
  it('is --config, then CONVEYOR_CONFIG, then XDG_CONFIG_HOME, then ~/.config', () => {
    expect(configFilePath('/tmp/c.json', { CONVEYOR_CONFIG: '/etc/c.json' }, '/home/op')).toEqual({
      path: '/tmp/c.json',
      explicit: true,
    });
    expect(configFilePath(undefined, { CONVEYOR_CONFIG: '/etc/c.json' }, '/home/op')).toEqual({
      path: '/etc/c.json',
      explicit: true,
    });
    expect(configFilePath(undefined, { XDG_CONFIG_HOME: '/xdg' }, '/home/op')).toEqual({
      path: '/xdg/conveyor/config.json',
      explicit: false,
    });
    expect(configFilePath(undefined, {}, '/home/op')).toEqual({
      path: '/home/op/.config/conveyor/config.json',
      explicit: false,
    });
  });
});
