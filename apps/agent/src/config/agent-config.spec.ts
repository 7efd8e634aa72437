import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKeyPair } from '@conveyor/signing-keys';
import { AgentConfigError, hookRunAsFrom, loadAgentConfig } from './agent-config';

const key = generateSigningKeyPair();
const otherKey = generateSigningKeyPair();
const validEnv = {
  NODE_ID: 'web-1',
  AMQP_URL: 'amqp://agent:secret@mq.internal:5672/conveyor',
  AGENT_BASE_DIR: '/srv/conveyor/web-1',
  AGENT_TRUSTED_KEYS: key.publicKeyPem,
  SERVER_PORT: '8080',
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadAgentConfig(env);
  } catch (error) {
    if (error instanceof AgentConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the config to be refused');
}

describe('loadAgentConfig', () => {
  it('reads a valid environment, with defaults for heartbeat and releases kept', () => {
    const config = loadAgentConfig(validEnv);
    expect(config).toMatchObject({
      nodeId: 'web-1',
      baseDir: '/srv/conveyor/web-1',
      serverPort: 8080,
      heartbeatMs: 5000,
      keepReleases: 3,
      reconnect: { baseMs: 500, capMs: 15_000, stableMs: 60_000 },
    });
    expect([...config.trustedKeys.keys()]).toEqual([key.keyId]);
    expect(config.facts).toMatchObject({ os: 'linux', address: expect.stringMatching(/:8080$/) });
  });

  it('refuses to start naming every wrong or missing variable at once', () => {
    const problems = problemsOf({
      NODE_ID: 'web 1',
      SERVER_PORT: '70000',
      HEARTBEAT_MS: 'soon',
      KEEP_RELEASES: '1',
      AGENT_BASE_DIR: 'relative/dir',
    });
    const text = problems.join('\n');
    for (const name of [
      'NODE_ID',
      'AMQP_URL',
      'AGENT_BASE_DIR',
      'AGENT_TRUSTED_KEYS',
      'SERVER_PORT',
      'HEARTBEAT_MS',
      'KEEP_RELEASES',
    ]) {
      expect(text).toContain(name);
    }
  });

  it('reads the reconnect back-off and refuses a cap below the base', () => {
    expect(
      loadAgentConfig({
        ...validEnv,
        AGENT_RECONNECT_BASE_MS: '200',
        AGENT_RECONNECT_CAP_MS: '5000',
        AGENT_RECONNECT_STABLE_MS: '10000',
      }).reconnect,
    ).toEqual({ baseMs: 200, capMs: 5000, stableMs: 10_000 });
    expect(
      problemsOf({ ...validEnv, AGENT_RECONNECT_BASE_MS: '2000', AGENT_RECONNECT_CAP_MS: '1000' }),
    ).toEqual(['AGENT_RECONNECT_CAP_MS (1000) must be at least AGENT_RECONNECT_BASE_MS (2000)']);
    expect(problemsOf({ ...validEnv, AGENT_RECONNECT_BASE_MS: 'fast' }).join('\n')).toContain(
      'AGENT_RECONNECT_BASE_MS',
    );
  });

  it('never echoes the AMQP password or key material in its message', () => {
    const problems = problemsOf({ ...validEnv, AGENT_TRUSTED_KEYS: key.privateKeyPem, SERVER_PORT: 'x' });
    expect(problems.join('\n')).toContain('is a private key');
    expect(problems.join('\n')).not.toContain('secret');
    expect(problems.join('\n')).not.toContain(key.privateKeyPem.split('\n')[1]);
  });

  it('merges AGENT_FACTS with AGENT_FACT_<NAME> (which win), lower-casing names', () => {
    const config = loadAgentConfig({
      ...validEnv,
      AGENT_FACTS: JSON.stringify({ service: 'billing', environment: 'staging', address: '10.0.0.5:8080' }),
      AGENT_FACT_ENVIRONMENT: 'production',
      AGENT_FACT_ROLE: 'web',
    });
    expect(config.facts).toEqual({
      os: 'linux',
      address: '10.0.0.5:8080',
      service: 'billing',
      environment: 'production',
      role: 'web',
    });
  });

  it('refuses facts that are not a JSON object of strings', () => {
    expect(problemsOf({ ...validEnv, AGENT_FACTS: '["billing"]' }).join()).toContain(
      'AGENT_FACTS: must be a JSON object',
    );
    expect(problemsOf({ ...validEnv, AGENT_FACTS: '{"service": 3}' }).join()).toContain('service');
  });

  it('trusts keys given as paths and as PEM text, several at once (rotation)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-config-'));
    try {
      const path = join(dir, 'next.pub.pem');
      writeFileSync(path, otherKey.publicKeyPem);
      const config = loadAgentConfig({ ...validEnv, AGENT_TRUSTED_KEYS: `${key.publicKeyPem}\n${path}` });
      expect([...config.trustedKeys.keys()].sort()).toEqual([key.keyId, otherKey.keyId].sort());
      expect(problemsOf({ ...validEnv, AGENT_TRUSTED_KEYS: join(dir, 'missing.pem') }).join()).toContain(
        'cannot read',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('secrets from files', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'agent-secrets-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const secretFile = (name: string, content: string, mode = 0o600) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      chmodSync(path, mode);
      return path;
    };
    const devUrl = 'amqp://agent@mq.internal:5672/conveyor';

    it('reads the broker password from AMQP_PASSWORD_FILE into the URL it connects with', () => {
      const config = loadAgentConfig({
        ...validEnv,
        AMQP_URL: devUrl,
        AMQP_PASSWORD_FILE: secretFile('amqp', 's3cr:t@x\n'),
      });
      expect(config.amqpUrl).toBe('amqp://agent:s3cr%3At%40x@mq.internal:5672/conveyor');
      expect(config.warnings).toEqual([]);
    });

    it('still accepts a password inside AMQP_URL (development), with a warning', () => {
      expect(loadAgentConfig(validEnv).warnings.join()).toContain('AMQP_PASSWORD_FILE');
    });

    it('refuses a password file readable by group or others, naming the mode and the fix', () => {
      const problems = problemsOf({
        ...validEnv,
        AMQP_URL: devUrl,
        AMQP_PASSWORD_FILE: secretFile('amqp', 'topsecret', 0o644),
      }).join('\n');
      expect(problems).toContain(
        'is readable or writable by group or others (mode 0644); run chmod 600 on it',
      );
      expect(problems).not.toContain('topsecret');
    });

    it('refuses a FIFO as a password file at once', () => {
      const fifo = join(dir, 'fifo');
      execFileSync('mkfifo', ['-m', '600', fifo]);
      expect(problemsOf({ ...validEnv, AMQP_URL: devUrl, AMQP_PASSWORD_FILE: fifo }).join()).toContain(
        'is not a regular file',
      );
    });

    it('refuses a password in both places, or a URL without a user', () => {
      const path = secretFile('amqp', 'pw');
      expect(problemsOf({ ...validEnv, AMQP_PASSWORD_FILE: path }).join()).toContain(
        'AMQP_URL carries a password and AMQP_PASSWORD_FILE is set',
      );
      expect(
        problemsOf({ ...validEnv, AMQP_URL: 'amqp://mq.internal/conveyor', AMQP_PASSWORD_FILE: path }).join(),
      ).toContain('must name the broker user');
    });

    it('reads artifact credentials from ARTIFACT_CREDENTIALS_FILE, refusing one others can read', () => {
      const list = JSON.stringify([{ urlPrefix: 'https://artifacts.example.com/', bearerToken: 'tok' }]);
      const config = loadAgentConfig({
        ...validEnv,
        ARTIFACT_CREDENTIALS_FILE: secretFile('creds.json', list),
      });
      expect(config.host.artifactCredentials).toHaveLength(1);
      expect(
        problemsOf({ ...validEnv, ARTIFACT_CREDENTIALS_FILE: secretFile('open.json', list, 0o640) }).join(),
      ).toContain('ARTIFACT_CREDENTIALS_FILE');
    });

    it('has host limits with defaults and refuses passing the agent’s own variables to hooks', () => {
      expect(loadAgentConfig(validEnv).host).toMatchObject({
        maxExtractBytes: 2 * 1024 ** 3,
        maxExtractEntries: 100_000,
        downloadDeadlineMs: 600_000,
        hookPassthroughEnv: [],
      });
      expect(problemsOf({ ...validEnv, AGENT_HOOK_PASSTHROUGH_ENV: 'JAVA_HOME,AMQP_URL' }).join()).toContain(
        "AMQP_URL is the agent's own configuration",
      );
    });
  });

  it('runs hooks as AGENT_HOOK_UID/GID only when the agent is root', () => {
    const problems: string[] = [];
    expect(hookRunAsFrom(65534, undefined, 0, problems)).toEqual({ uid: 65534, gid: 65534 });
    expect(hookRunAsFrom(1500, 1600, 0, problems)).toEqual({ uid: 1500, gid: 1600 });
    expect(hookRunAsFrom(undefined, undefined, 0, problems)).toBeUndefined();
    expect(problems).toEqual([]);
    expect(hookRunAsFrom(65534, undefined, 1000, problems)).toBeUndefined();
    expect(hookRunAsFrom(undefined, 5, 0, problems)).toBeUndefined();
    expect(problems).toEqual([
      'AGENT_HOOK_UID: running hooks as uid 65534 needs the agent to run as root (it runs as uid 1000)',
      'AGENT_HOOK_GID needs AGENT_HOOK_UID',
    ]);
    expect(problemsOf({ ...validEnv, AGENT_HOOK_UID: '0' }).join()).toContain(
      'AGENT_HOOK_UID must be at least 1',
    );
  });
});
