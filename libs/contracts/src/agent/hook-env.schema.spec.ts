import { hookEnvSchema } from './hook-env.schema';

const env = {
  CONVEYOR_HOOK: 'start',
  CONVEYOR_RELEASE_DIR: '/srv/web-1/releases/1.0.0',
  CONVEYOR_CURRENT_DIR: '/srv/web-1/current',
  CONVEYOR_STATE_DIR: '/srv/web-1/state',
  CONVEYOR_PORT: '8080',
  CONVEYOR_VERSION: '1.0.0',
  CONVEYOR_SERVER_ID: 'web-1',
};

describe('hookEnvSchema', () => {
  it('accepts a complete hook environment, with Windows paths too', () => {
    expect(hookEnvSchema.parse(env)).toEqual(env);
    expect(
      hookEnvSchema.safeParse({ ...env, CONVEYOR_STATE_DIR: 'D:\\conveyor\\web-1\\state' }).success,
    ).toBe(true);
  });

  it('names each wrong or missing variable', () => {
    const { CONVEYOR_SERVER_ID: _missing, ...incomplete } = env;
    const result = hookEnvSchema.safeParse({
      ...incomplete,
      CONVEYOR_PORT: '70000',
      CONVEYOR_RELEASE_DIR: 'releases/1.0.0',
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).sort()).toEqual([
      'CONVEYOR_PORT: CONVEYOR_PORT must be 1..65535',
      'CONVEYOR_RELEASE_DIR: CONVEYOR_RELEASE_DIR must be an absolute path',
      expect.stringMatching(/^CONVEYOR_SERVER_ID: /),
    ]);
  });
});
