import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { generateSigningKeyPair } from '@conveyor/signing-keys';
import { startFleet, type RunningFleet } from '@conveyor/fleet';
import { AgentHarness } from './testing/agent-harness';
import { diskSnapshot } from './testing/disk-snapshot';

describe('agent: refuses every command it must not obey, saying why', () => {
  let kit: AgentHarness;
  let fleet: RunningFleet;
  let before: Record<string, string>;
  let deployPayload: () => Promise<{
    deploymentId: string;
    stepId: string;
    artifact: Awaited<ReturnType<AgentHarness['artifact']>>['ref'];
  }>;
  const web1 = { nodeIds: ['web-1'] };

  beforeAll(async () => {
    kit = await AgentHarness.create();
    fleet = await startFleet({
      n: 1,
      baseDir: join(kit.dir, 'fleet'),
      amqpUrl: await kit.agentUrls(1),
      trustedKeys: [kit.keys.publicKeyPem],
      facts: { service: 'sample-app', environment: 'test' },
    });
    const v1 = await kit.artifact({ version: '1.0.0', format: 'tar.gz' });
    deployPayload = () =>
      Promise.resolve({ deploymentId: randomUUID(), stepId: `step-${randomUUID()}`, artifact: v1.ref });
    await kit.send(
      'agent.deploy.requested',
      kit.sign('deploy', web1, { ...(await deployPayload()), stepId: 'initial' }),
    );
    await kit.waitForEvents('agent.deploy.succeeded', 1, (event) => event.stepId === 'initial');
    before = await diskSnapshot(fleet.servers[0]!);
    expect(before['current']).toBe(join('releases', '1.0.0'));
  }, 120_000);

  afterAll(async () => {
    await fleet?.stop();
    await kit?.close();
  });

  afterEach(async () => {
    expect(await diskSnapshot(fleet.servers[0]!)).toEqual(before);
    expect(kit.events('agent.deploy.started', (event) => event.stepId !== 'initial')).toEqual([]);
  });

  const rejection = async (commandId: string) =>
    (await kit.waitForEvents('agent.command.rejected', 1, (event) => event.commandId === commandId))[0]!;

  it('a forged command (payload changed after signing): bad_signature', async () => {
    const signed = kit.sign('deploy', web1, await deployPayload());
    const forged = {
      ...signed,
      payload: {
        ...signed.payload,
        artifact: { ...signed.payload.artifact, url: 'http://evil.example/x.tar.gz' },
      },
    };
    await kit.send('agent.deploy.requested', forged);
    expect(await rejection(signed.commandId)).toMatchObject({
      nodeId: 'web-1',
      reason: 'bad_signature',
      commandType: 'agent.deploy.requested',
    });
  });

  it('a command signed by a key the agent does not trust: unknown_key', async () => {
    const signed = kit.sign('deploy', web1, await deployPayload(), { key: generateSigningKeyPair() });
    await kit.send('agent.deploy.requested', signed);
    expect((await rejection(signed.commandId)).reason).toBe('unknown_key');
  });

  it('an expired command: expired', async () => {
    const signed = kit.sign('deploy', web1, await deployPayload(), {
      now: new Date(Date.now() - 10 * 60_000),
      lifetimeMs: 60_000,
    });
    await kit.send('agent.deploy.requested', signed);
    const refused = await rejection(signed.commandId);
    expect(refused.reason).toBe('expired');
    expect(refused.detail).toContain('expired at');
  });

  it('the same command sent twice: the copy is refused as replayed', async () => {
    const signed = kit.sign('discovery', web1, { requestId: randomUUID() });
    await kit.send('agent.discovery.requested', signed);
    await kit.waitForEvents(
      'agent.discovery.replied',
      1,
      (reply) => reply.requestId === signed.payload.requestId,
    );
    await kit.send('agent.discovery.requested', signed);
    expect((await rejection(signed.commandId)).reason).toBe('replayed');
    expect(
      kit.events('agent.discovery.replied', (reply) => reply.requestId === signed.payload.requestId),
    ).toHaveLength(1);
  });

  it('a command naming this node but facts it does not have: not_for_me, with the fact', async () => {
    const signed = kit.sign(
      'deploy',
      { nodeIds: ['web-1'], facts: { environment: 'production' } },
      await deployPayload(),
    );
    await kit.send('agent.deploy.requested', signed);
    const refused = await rejection(signed.commandId);
    expect(refused.reason).toBe('not_for_me');
    expect(refused.detail).toContain('fact environment is "test", target wants "production"');
  });

  it('a command for other nodes is ignored in silence (every agent sees every command)', async () => {
    const signed = kit.sign('deploy', { nodeIds: ['web-9'] }, await deployPayload());
    await kit.send('agent.deploy.requested', signed);
    const probe = kit.sign('discovery', web1, { requestId: randomUUID() });
    await kit.send('agent.discovery.requested', probe);
    await kit.waitForEvents(
      'agent.discovery.replied',
      1,
      (reply) => reply.requestId === probe.payload.requestId,
    );
    expect(kit.events('agent.command.rejected', (event) => event.commandId === signed.commandId)).toEqual([]);
  });

  it('an unsigned command: unsigned', async () => {
    const { signature: _signature, ...unsigned } = kit.sign('deploy', web1, await deployPayload());
    await kit.sendRaw('agent.deploy.requested', unsigned);
    const refused = await rejection(unsigned.commandId);
    expect(refused.reason).toBe('unsigned');
  });

  it('a command that breaks the contract: malformed, naming the field', async () => {
    const signed = kit.sign('deploy', web1, await deployPayload());
    await kit.sendRaw('agent.deploy.requested', {
      ...signed,
      payload: { ...signed.payload, artifact: { ...signed.payload.artifact, sha256: 'nope' } },
    });
    const refused = await rejection(signed.commandId);
    expect(refused.reason).toBe('malformed');
    expect(refused.detail).toContain('sha256');
  });
});
