import type { HookEnv } from '@conveyor/contracts';
import { hookProcessEnv } from './hook-process-env';

const hook: HookEnv = {
  CONVEYOR_HOOK: 'start',
  CONVEYOR_RELEASE_DIR: '/srv/a/releases/1.0.0',
  CONVEYOR_CURRENT_DIR: '/srv/a/current',
  CONVEYOR_STATE_DIR: '/srv/a/state',
  CONVEYOR_PORT: '8080',
  CONVEYOR_VERSION: '1.0.0',
  CONVEYOR_SERVER_ID: 'web-1',
};
const agentEnv = {
  PATH: '/usr/bin',
  HOME: '/var/lib/conveyor',
  LANG: 'C.UTF-8',
  AMQP_URL: 'amqp://agent:secret@mq/conveyor',
  AMQP_PASSWORD_FILE: '/etc/conveyor/amqp-password',
  ARTIFACT_CREDENTIALS_FILE: '/etc/conveyor/artifacts.json',
  JAVA_HOME: '/opt/java',
  NODE_OPTIONS: '--require /tmp/x.js',
};

describe('hookProcessEnv', () => {
  it('gives a hook the allow-listed variables and CONVEYOR_*, never the agent credentials', () => {
    expect(hookProcessEnv(agentEnv, hook, [], 'linux')).toEqual({
      PATH: '/usr/bin',
      HOME: '/var/lib/conveyor',
      LANG: 'C.UTF-8',
      ...hook,
    });
  });

  it('passes the operator’s extra names through, but never the agent’s own variables', () => {
    const env = hookProcessEnv(agentEnv, hook, ['JAVA_HOME', 'AMQP_URL', 'NODE_OPTIONS'], 'linux');
    expect(env['JAVA_HOME']).toBe('/opt/java');
    expect(env['AMQP_URL']).toBeUndefined();
    expect(env['NODE_OPTIONS']).toBeUndefined();
  });

  it('on Windows keeps SystemRoot, windir, ComSpec whatever their case', () => {
    const env = hookProcessEnv(
      {
        Path: 'C:\\Windows',
        SYSTEMROOT: 'C:\\Windows',
        windir: 'C:\\Windows',
        ComSpec: 'cmd.exe',
        AMQP_URL: 'x',
      },
      hook,
      [],
      'win32',
    );
    expect(env).toMatchObject({
      PATH: 'C:\\Windows',
      SystemRoot: 'C:\\Windows',
      windir: 'C:\\Windows',
      ComSpec: 'cmd.exe',
    });
    expect(Object.keys(env).some((name) => name.toUpperCase() === 'AMQP_URL')).toBe(false);
  });
});
