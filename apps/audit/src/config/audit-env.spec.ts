import { ConfigError, loadEnv } from '@conveyor/service-kit';
import { auditEnvSchema } from './audit-env';

const common = {
  AMQP_URL: 'amqp://conveyor-audit:secret@127.0.0.1:5672/conveyor',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/conveyor',
  AUDIT_CHECKPOINT_DIR: '/var/lib/conveyor-audit/checkpoints',
};

describe('audit environment: the signing key', () => {
  it('refuses to start without AUDIT_SIGNING_KEY, naming it and the development switch', () => {
    expect(() => loadEnv('audit', auditEnvSchema, common)).toThrow(ConfigError);
    expect(() => loadEnv('audit', auditEnvSchema, common)).toThrow(
      /AUDIT_SIGNING_KEY: is required .*every replica must sign with the same key.*AUDIT_GENERATE_KEY=true/,
    );
  });

  it('refuses AUDIT_GENERATE_KEY=false without a key, and a value that is not true or false', () => {
    expect(() => loadEnv('audit', auditEnvSchema, { ...common, AUDIT_GENERATE_KEY: 'false' })).toThrow(
      /AUDIT_SIGNING_KEY: is required/,
    );
    expect(() => loadEnv('audit', auditEnvSchema, { ...common, AUDIT_GENERATE_KEY: 'yes' })).toThrow(
      /AUDIT_GENERATE_KEY: must be true or false/,
    );
  });

  it('starts with a configured key, and without one only when AUDIT_GENERATE_KEY=true (development)', () => {
    expect(
      loadEnv('audit', auditEnvSchema, { ...common, AUDIT_SIGNING_KEY: '/keys/audit.pem' }),
    ).toMatchObject({ AUDIT_SIGNING_KEY: '/keys/audit.pem', AUDIT_GENERATE_KEY: false });
    expect(loadEnv('audit', auditEnvSchema, { ...common, AUDIT_GENERATE_KEY: 'true' })).toMatchObject({
      AUDIT_GENERATE_KEY: true,
    });
  });
});
