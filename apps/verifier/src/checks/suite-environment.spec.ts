import { suiteEnvironment } from './suite-environment';
import { resolveResultFile } from './result-file-path';

const context = {
  server: {
    id: 'app-01',
    address: '10.0.0.7:8080',
    via: 'maintenance-backend' as const,
    headers: { 'X-Server': 'app-01' },
  },
  verificationId: 'v-1',
  deploymentId: 'd-1',
  batchIndex: 2,
  service: 'billing',
  environment: 'prod',
  expectedVersion: '1.4.2',
  suiteName: 'api-smoke',
  workDir: '/tmp/conveyor-suite-x',
  resultFile: '/tmp/conveyor-suite-x/TestResult.xml',
};

describe("a smoke suite's environment", () => {
  it('tells the suite where and what to test', () => {
    const env = suiteEnvironment({ PATH: '/usr/bin' }, context);
    expect(env).toMatchObject({
      TARGET_URL: 'http://10.0.0.7:8080',
      CONVEYOR_TARGET_URL: 'http://10.0.0.7:8080',
      CONVEYOR_TARGET_ADDRESS: '10.0.0.7:8080',
      CONVEYOR_TARGET_VIA: 'maintenance-backend',
      CONVEYOR_TARGET_HEADERS: '{"X-Server":"app-01"}',
      SERVER_ID: 'app-01',
      CONVEYOR_SERVER_ID: 'app-01',
      CONVEYOR_EXPECTED_VERSION: '1.4.2',
      CONVEYOR_BATCH_INDEX: '2',
      CONVEYOR_RESULT_FILE: '/tmp/conveyor-suite-x/TestResult.xml',
      PATH: '/usr/bin',
    });
  });

  it("never hands the verifier's credentials to the suite", () => {
    const env = suiteEnvironment(
      {
        PATH: '/usr/bin',
        AMQP_URL: 'amqp://verifier:secret@mq/',
        DATABASE_URL: 'postgres://verifier:secret@db/conveyor',
      },
      context,
    );
    expect(Object.values(env).join('\n')).not.toContain('secret');
  });

  it('sets no result-file variable when the suite writes none', () => {
    expect(suiteEnvironment({}, { ...context, resultFile: undefined })).not.toHaveProperty(
      'CONVEYOR_RESULT_FILE',
    );
  });
});

describe('where a result file is read', () => {
  it('resolves inside the working directory', () => {
    expect(resolveResultFile('/w/run1', 'out/TestResult.xml')).toEqual({
      ok: true,
      path: '/w/run1/out/TestResult.xml',
    });
  });

  it('refuses a path outside it, so a stale or foreign file is never read', () => {
    expect(resolveResultFile('/w/run1', '../run0/TestResult.xml').ok).toBe(false);
    expect(resolveResultFile('/w/run1', '/etc/passwd').ok).toBe(false);
    expect(resolveResultFile('/w/run1', '.').ok).toBe(false);
  });
});
