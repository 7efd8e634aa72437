import { ConfigError, loadEnv, serviceEnv } from './service-env';

const good = {
  AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672/',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/conveyor',
};

describe('loadEnv', () => {
  it('applies defaults to a valid environment', () => {
    const env = loadEnv('pipeline', serviceEnv(3000), good);
    expect(env).toMatchObject({ PORT: 3000, LOG_LEVEL: 'info', AMQP_PREFETCH: 32, AMQP_MAX_ATTEMPTS: 5 });
  });

  it('names every wrong or missing variable at once', () => {
    let error: unknown;
    try {
      loadEnv('pipeline', serviceEnv(3000), { AMQP_URL: 'nonsense', PORT: '99999' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^AMQP_URL: must be an amqp:\/\/ or amqps:\/\/ URL/),
        'DATABASE_URL: is required',
        expect.stringMatching(/^PORT: must be a port number/),
      ]),
    );
    expect((error as Error).message).toContain('pipeline cannot start');
  });

  it('refuses a database URL of another kind', () => {
    expect(() => loadEnv('audit', serviceEnv(3004), { ...good, DATABASE_URL: 'mysql://x/y' })).toThrow(
      /DATABASE_URL: must be a postgres/,
    );
  });
});
