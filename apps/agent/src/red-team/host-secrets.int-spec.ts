import { randomBytes, randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, readdir, readlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  AgentProcess,
  agentEnvironment,
  buildArtifact,
  startArtifactServer,
  startFleet,
  type ArtifactServer,
  type RunningFleet,
} from '@conveyor/fleet';
import { AgentHarness, servedVersion } from '../testing/agent-harness';

/**
 * Red team: what a hook, the app and a hostile command can get out of an agent. A real agent
 * process logs into its own broker user (conveyor-agent-web-1) with the password read from AMQP_PASSWORD_FILE and
 * downloads from an artifact server that wants a random bearer token (ARTIFACT_CREDENTIALS_FILE).
 */
describe('red team: an agent’s secrets stay in its files; downloads stay within size and time', () => {
  let kit: AgentHarness;
  let fleet: RunningFleet;
  let privateServer: ArtifactServer;
  let secretsDir: string;
  const deploymentId = randomUUID();
  const web1 = { nodeIds: ['web-1'] };
  const server = () => fleet.servers[0]!;
  // The agent's own least-privileged broker user; its password lives only in the owner-only file.
  let brokerUser: string;
  let brokerPassword: string;
  const artifactToken = `tok-${randomBytes(16).toString('hex')}`;
  const DEADLINE_SECONDS = 3;

  const failure = async (stepId: string) =>
    (await kit.waitForEvents('agent.deploy.failed', 1, (event) => event.stepId === stepId))[0]!;
  const rejection = async (commandId: string) =>
    (await kit.waitForEvents('agent.command.rejected', 1, (event) => event.commandId === commandId))[0]!;
  const expectV1Serving = async () => {
    expect(await readdir(server().releasesDir)).toEqual(['1.0.0']);
    expect(await readlink(server().currentLink)).toBe(join('releases', '1.0.0'));
    expect(await servedVersion(server().port)).toBe('1.0.0');
  };

  beforeAll(async () => {
    kit = await AgentHarness.create();
    const agentUrl = new URL(await kit.vhost.addAgent('web-1'));
    brokerUser = decodeURIComponent(agentUrl.username);
    brokerPassword = decodeURIComponent(agentUrl.password);
    secretsDir = join(kit.dir, 'secrets');
    await mkdir(secretsDir, { mode: 0o700 });
    await writeFile(join(secretsDir, 'amqp-password'), `${brokerPassword}\n`, { mode: 0o600 });
    await mkdir(join(kit.dir, 'private'));
    privateServer = await startArtifactServer(join(kit.dir, 'private'), {
      authorization: `Bearer ${artifactToken}`,
    });
    await writeFile(
      join(secretsDir, 'artifacts.json'),
      JSON.stringify([{ urlPrefix: `${privateServer.url}/`, bearerToken: artifactToken }]),
      { mode: 0o600 },
    );
    const url = new URL(kit.vhost.urlFor('agent:web-1'));
    url.username = brokerUser;
    url.password = '';
    fleet = await startFleet({
      n: 1,
      baseDir: join(kit.dir, 'fleet'),
      amqpUrl: url.toString(),
      trustedKeys: [kit.keys.publicKeyPem],
      env: {
        AMQP_PASSWORD_FILE: join(secretsDir, 'amqp-password'),
        ARTIFACT_CREDENTIALS_FILE: join(secretsDir, 'artifacts.json'),
        AGENT_DOWNLOAD_DEADLINE_SECONDS: String(DEADLINE_SECONDS),
      },
    });
    // v1 comes from the private server (the agent adds the bearer token) and its before-install
    // hook dumps what it can see: its environment and its parent's (the agent's) /proc environ.
    const dump = [
      'echo "--- hook env"; env',
      'echo "--- agent environ"; tr "\\000" "\\n" < /proc/$PPID/environ',
    ].join('; ');
    const v1 = await buildArtifact({
      version: '1.0.0',
      format: 'tar.gz',
      outDir: join(kit.dir, 'private'),
      label: 'dump-env',
      hooks: {
        'before-install': { timeoutSeconds: 10, linux: `{ ${dump}; } > "$CONVEYOR_STATE_DIR/leak.txt" 2>&1` },
      },
    });
    await kit.send(
      'agent.deploy.requested',
      kit.sign('deploy', web1, {
        deploymentId,
        stepId: 'v1',
        artifact: {
          service: 'sample-app',
          version: '1.0.0',
          url: `${privateServer.url}/${basename(v1.path)}`,
          sha256: v1.sha256,
          size: v1.size,
        },
      }),
    );
    await kit.waitForEvents('agent.deploy.succeeded', 1, (event) => event.stepId === 'v1');
  }, 120_000);

  afterAll(async () => {
    await fleet?.stop();
    await privateServer?.close();
    await kit?.close();
  });

  it('the agent logged in with the password from its file and fetched with the token from its file', () => {
    expect(privateServer.requests().map((request) => request.status)).toEqual([200]);
  });

  it('a hook sees no secret, neither in its environment nor in the agent’s /proc/$PPID/environ', async () => {
    const leak = await readFile(join(server().stateDir, 'leak.txt'), 'utf8');
    const [hookEnv, agentEnviron] = leak.split('--- agent environ');
    // The dump worked: the hook's own variables and the agent's environment are there.
    expect(hookEnv).toContain('CONVEYOR_HOOK=before-install');
    expect(agentEnviron).toContain('NODE_ID=web-1');
    expect(agentEnviron).toContain(`AMQP_URL=amqp://${brokerUser}@`);
    // No secret anywhere; the hook does not even learn where the secret files are.
    expect(leak).not.toContain(brokerPassword);
    expect(leak).not.toContain(artifactToken);
    expect(hookEnv).not.toMatch(/AMQP_|ARTIFACT_|AGENT_|NODE_ID=/);
  });

  it('the app the start hook launched has no agent variable and no secret in its environment', async () => {
    const pid = Number((await readFile(join(server().stateDir, 'app.pid'), 'utf8')).trim());
    const environ = (await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0');
    expect(environ).toContain('CONVEYOR_HOOK=start');
    expect(environ.filter((entry) => /^(AMQP_|ARTIFACT_|AGENT_)/.test(entry))).toEqual([]);
    expect(environ.join('\n')).not.toContain(brokerPassword);
  });

  it('no event the agent sent carries the password or the token', () => {
    const everything = JSON.stringify(kit.received);
    expect(everything).not.toContain(brokerPassword);
    expect(everything).not.toContain(artifactToken);
  });

  it('a command whose artifact URL carries user:pass@ is refused as malformed', async () => {
    const v2 = await kit.artifact({ version: '2.0.0', format: 'tar.gz' });
    const signed = kit.sign('deploy', web1, {
      deploymentId,
      stepId: 'userinfo',
      artifact: { ...v2.ref, url: v2.ref.url.replace('http://', 'http://thief:stolen@') },
    });
    await kit.sendRaw('agent.deploy.requested', signed);
    expect(await rejection(signed.commandId)).toMatchObject({
      reason: 'malformed',
      detail: expect.stringContaining('must not carry credentials'),
    });
    await expectV1Serving();
  });

  it('a command without the artifact size is refused as malformed', async () => {
    const v2 = await kit.artifact({ version: '2.0.0', format: 'tar.gz' });
    const { size: _size, ...unsized } = v2.ref;
    const signed = kit.sign('deploy', web1, { deploymentId, stepId: 'unsized', artifact: unsized });
    await kit.sendRaw('agent.deploy.requested', signed);
    expect(await rejection(signed.commandId)).toMatchObject({
      reason: 'malformed',
      detail: expect.stringContaining('size'),
    });
    await expectV1Serving();
  });

  it('the token is not sent to another origin: the same server by another host name answers 401', async () => {
    const v2 = await buildArtifact({ version: '2.0.0', format: 'zip', outDir: join(kit.dir, 'private') });
    const otherOrigin = `${privateServer.url.replace('127.0.0.1', 'localhost')}/${basename(v2.path)}`;
    await kit.send(
      'agent.deploy.requested',
      kit.sign('deploy', web1, {
        deploymentId,
        stepId: 'other-origin',
        artifact: {
          service: 'sample-app',
          version: '2.0.0',
          url: otherOrigin,
          sha256: v2.sha256,
          size: v2.size,
        },
      }),
    );
    expect((await failure('other-origin')).reason).toContain('HTTP 401');
    await expectV1Serving();
  });

  it('a server announcing more bytes than the command declares is refused before the body', async () => {
    const v2 = await kit.artifact({ version: '2.0.0', format: 'tar.gz' });
    await kit.send(
      'agent.deploy.requested',
      kit.sign('deploy', web1, {
        deploymentId,
        stepId: 'oversize-http',
        artifact: { ...v2.ref, size: 1000 },
      }),
    );
    expect(await failure('oversize-http')).toMatchObject({
      phase: 'download',
      reason: expect.stringContaining(`the server announces ${v2.size} bytes, the command declares 1000`),
    });
    await expectV1Serving();
    expect(await readdir(join(server().stateDir, 'downloads'))).toEqual([]);
  });

  it('a body longer than declared (no length announced) is aborted past the declared size', async () => {
    const v2 = await kit.artifact({ version: '2.0.0', format: 'tar.gz' });
    await kit.send(
      'agent.deploy.requested',
      kit.sign('deploy', web1, {
        deploymentId,
        stepId: 'oversize-file',
        artifact: { ...v2.ref, url: pathToFileURL(v2.path).toString(), size: 1000 },
      }),
    );
    expect((await failure('oversize-file')).reason).toContain('more than the declared 1000 bytes: aborted');
    await expectV1Serving();
  });

  it('a body shorter than declared fails at the end', async () => {
    const v2 = await kit.artifact({ version: '2.0.0', format: 'tar.gz' });
    await kit.send(
      'agent.deploy.requested',
      kit.sign('deploy', web1, {
        deploymentId,
        stepId: 'undersize-file',
        artifact: { ...v2.ref, url: pathToFileURL(v2.path).toString(), size: v2.size + 10 },
      }),
    );
    expect((await failure('undersize-file')).reason).toContain(
      `connection ended after ${v2.size} of the declared ${v2.size + 10} bytes`,
    );
    await expectV1Serving();
  });

  it('a server that trickles forever (never idle) is cut at the overall deadline', async () => {
    const v2 = await kit.artifact({ version: '2.0.0', format: 'tar.gz' });
    const started = Date.now();
    await kit.send(
      'agent.deploy.requested',
      kit.sign('deploy', web1, {
        deploymentId,
        stepId: 'trickle',
        artifact: { ...v2.ref, url: `${v2.ref.url}?bytesPerSecond=200` },
      }),
    );
    expect((await failure('trickle')).reason).toContain(
      `not complete within its deadline of ${DEADLINE_SECONDS} s`,
    );
    expect(Date.now() - started).toBeLessThan((DEADLINE_SECONDS + 5) * 1000);
    await expectV1Serving();
  });

  it('an agent refuses to start when its password file is readable by others, saying how to fix it', async () => {
    const loose = join(secretsDir, 'loose-password');
    await writeFile(loose, brokerPassword);
    await chmod(loose, 0o644);
    const url = new URL(kit.vhost.urlFor('agent:web-1'));
    url.username = brokerUser;
    url.password = '';
    const spare = { ...server(), id: 'web-9', rootDir: join(kit.dir, 'spare') };
    const agent = new AgentProcess(spare, {
      ...agentEnvironment(spare, {
        n: 1,
        baseDir: kit.dir,
        amqpUrl: url.toString(),
        trustedKeys: [kit.keys.publicKeyPem],
      }),
      AMQP_PASSWORD_FILE: loose,
    });
    const started = agent.start();
    await expect(started).rejects.toThrow(/mode 0644\); run chmod 600 on it/);
    await expect(started).rejects.not.toThrow(brokerPassword);
  });
});
