import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startFleet, type RunningFleet } from '@conveyor/fleet';
import { AgentHarness, servedVersion } from '../testing/agent-harness';

/**
 * Red team: with AGENT_HOOK_UID the hooks and the app run as their own user (65534 here) while
 * the agent runs as root. A hook then cannot read the agent's secret file (mode 0600, root) nor
 * its /proc/$PPID/environ, nor remove the agent's journal; the app still deploys and serves.
 */
describe('red team: hooks under their own uid cannot reach the agent’s secrets', () => {
  let kit: AgentHarness;
  let fleet: RunningFleet;
  let passwordFile: string;
  const NOBODY = 65534;
  const server = () => fleet.servers[0]!;

  beforeAll(async () => {
    if (process.getuid?.() !== 0)
      throw new Error('this red-team file runs as root (hooks switch to uid 65534)');
    kit = await AgentHarness.create();
    await chmod(kit.dir, 0o755); // the hook user must reach the release dir under it
    const secrets = join(kit.dir, 'secrets');
    await mkdir(secrets, { mode: 0o700 });
    passwordFile = join(secrets, 'amqp-password');
    const url = new URL(await kit.vhost.addAgent('web-1'));
    await writeFile(passwordFile, `${decodeURIComponent(url.password)}\n`, { mode: 0o600 });
    url.password = '';
    fleet = await startFleet({
      n: 1,
      baseDir: join(kit.dir, 'fleet'),
      amqpUrl: url.toString(),
      trustedKeys: [kit.keys.publicKeyPem],
      env: { AMQP_PASSWORD_FILE: passwordFile, AGENT_HOOK_UID: String(NOBODY) },
    });
    const probe = [
      'echo "uid=$(id -u)"',
      `echo "secret-file: $(cat ${passwordFile} 2>/dev/null || echo DENIED)"`,
      'echo "environ: $(tr "\\000" " " < /proc/$PPID/environ 2>/dev/null || echo DENIED)"',
      'rm -rf "$CONVEYOR_STATE_DIR/steps" "$CONVEYOR_STATE_DIR/nonces" 2>/dev/null || echo "journal: DENIED"',
    ].join('; ');
    const v1 = await kit.artifact({
      version: '1.0.0',
      format: 'tar.gz',
      label: 'probe',
      hooks: {
        'before-install': {
          timeoutSeconds: 10,
          linux: `{ ${probe}; } > "$CONVEYOR_STATE_DIR/probe.txt" 2>&1`,
        },
      },
    });
    await kit.send(
      'agent.deploy.requested',
      kit.sign(
        'deploy',
        { nodeIds: ['web-1'] },
        { deploymentId: randomUUID(), stepId: 'v1', artifact: v1.ref },
      ),
    );
    await kit.waitForEvents('agent.deploy.succeeded', 1, (event) => event.stepId === 'v1');
  }, 120_000);

  afterAll(async () => {
    await fleet?.stop();
    await kit?.close();
  });

  it('the hook ran as uid 65534 and was refused the secret file, the agent’s environ and its journal', async () => {
    const probe = await readFile(join(server().stateDir, 'probe.txt'), 'utf8');
    expect(probe).toContain(`uid=${NOBODY}`);
    expect(probe).toContain('secret-file: DENIED');
    expect(probe).toContain('environ: DENIED');
    expect(probe).toContain('journal: DENIED');
    expect(probe).not.toContain('AMQP_');
    expect((await stat(join(server().stateDir, 'steps'))).isDirectory()).toBe(true);
    expect((await stat(join(server().stateDir, 'nonces'))).isDirectory()).toBe(true);
  });

  it('the app runs as uid 65534 and serves the release', async () => {
    expect(await servedVersion(server().port)).toBe('1.0.0');
    const pid = Number((await readFile(join(server().stateDir, 'app.pid'), 'utf8')).trim());
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    expect(status).toMatch(new RegExp(`^Uid:\\s+${NOBODY}\\s`, 'm'));
  });
});
