import { decide } from './decide';
import { startDeployment } from './start-deployment';
import { Driver, deploymentRequest, knownAgents, started, startContext } from '../testing/deployment.factory';

describe('a rollout that goes well', () => {
  it('rolls 6 servers out in batches [1], [2], [2], [1] with the conversation the participants expect', () => {
    const request = deploymentRequest();
    const driver = new Driver(started(request)).run();

    expect(driver.state.status).toBe('succeeded');
    const batches = driver
      .events()
      .filter((e) => e.type === 'deployment.batch.started')
      .map((e) => e.data);
    expect(batches.map((b) => [b.kind, b.servers])).toEqual([
      ['canary', ['web-1']],
      ['regular', ['web-2', 'web-3']],
      ['regular', ['web-4', 'web-5']],
      ['regular', ['web-6']],
    ]);
    const conversation = driver.decisions
      .flatMap((d) => [
        ...d.events.map((e) => e.type as string),
        ...d.commands.map((c) => `agent.${c.kind}.requested`),
      ])
      .filter((type) => type !== 'deployment.server.progressed');
    expect(conversation.slice(0, 8)).toEqual([
      'deployment.started',
      'deployment.batch.started',
      'pool.drain.requested',
      'agent.deploy.requested',
      'verification.requested',
      'pool.enable.requested',
      'deployment.batch.completed',
      'deployment.batch.started',
    ]);
    expect(conversation.at(-1)).toBe('deployment.succeeded');
    expect(conversation.filter((t) => t === 'deployment.batch.completed')).toHaveLength(4);
    expect(driver.state.outOfService).toEqual([]);
    expect(driver.state.wakeAt).toBeNull();
  });

  it('asks the pool manager to keep the floor and drains no more than a batch', () => {
    const driver = new Driver(started(deploymentRequest({ strategy: { minHealthy: 4 } }))).run();
    const drains = driver.events().flatMap((e) => (e.type === 'pool.drain.requested' ? [e.data] : []));
    expect(drains.map((d) => d.minHealthy)).toEqual([4, 4, 4, 4]);
    expect(drains.map((d) => d.servers.length)).toEqual([1, 2, 2, 1]);
    expect(drains.every((d) => d.pool === 'billing-web' && d.drainTimeoutMs === 30_000)).toBe(true);
  });

  it('sends one deploy command per server with a step id of its own and the artifact', () => {
    const request = deploymentRequest();
    const driver = new Driver(started(request)).run();
    const deploys = driver.commands().filter((c) => c.kind === 'deploy');
    expect(deploys.map((c) => c.nodeId)).toEqual(['web-1', 'web-2', 'web-3', 'web-4', 'web-5', 'web-6']);
    expect(new Set(deploys.map((c) => c.payload.stepId)).size).toBe(6);
    expect(deploys[0]?.payload).toEqual(
      expect.objectContaining({ deploymentId: request.deploymentId, artifact: request.artifact }),
    );
  });

  it('verifies each batch against the new version at the addresses of the manifest', () => {
    const driver = new Driver(started(deploymentRequest())).run();
    const first = driver.events().find((e) => e.type === 'verification.requested');
    expect(first?.type === 'verification.requested' && first.data).toEqual(
      expect.objectContaining({
        batchIndex: 0,
        expectedVersion: '2.0.0',
        servers: [{ id: 'web-1', address: '127.0.0.1:9100', via: 'direct' }],
      }),
    );
  });

  it("checks each server through the pool's maintenance frontend when the manifest gives one, with the header that picks the server", () => {
    const verification = {
      timeoutSeconds: 30,
      bakeSeconds: 60,
      health: { versionField: 'version', timeoutSeconds: 20 },
      maintenance: { address: 'lb.internal:8081', serverHeader: 'X-Conveyor-Server' },
    };
    const driver = new Driver(started(deploymentRequest({ verification }))).run();
    const checks = driver
      .events()
      .flatMap((e) => (e.type === 'verification.requested' ? [e.data.servers] : []));
    expect(checks[1]).toEqual([
      {
        id: 'web-2',
        address: 'lb.internal:8081',
        via: 'maintenance-backend',
        headers: { 'X-Conveyor-Server': 'web-2' },
      },
      {
        id: 'web-3',
        address: 'lb.internal:8081',
        via: 'maintenance-backend',
        headers: { 'X-Conveyor-Server': 'web-3' },
      },
    ]);
    // The bake watches servers back online: where customers reach them, not the maintenance backend.
    const bake = driver.events().find((e) => e.type === 'verification.bake.requested');
    expect(bake?.type === 'verification.bake.requested' && bake.data.servers[0]).toEqual({
      id: 'web-1',
      address: '127.0.0.1:9100',
      via: 'direct',
    });
  });

  it('checks directly when the manifest says via: direct, maintenance frontend or not', () => {
    const verification = {
      timeoutSeconds: 30,
      health: { versionField: 'version', timeoutSeconds: 20 },
      maintenance: { address: 'lb.internal:8081', serverHeader: 'X-Conveyor-Server' },
      via: 'direct' as const,
    };
    const driver = new Driver(started(deploymentRequest({ verification }))).run();
    const first = driver.events().find((e) => e.type === 'verification.requested');
    expect(first?.type === 'verification.requested' && first.data.servers).toEqual([
      { id: 'web-1', address: '127.0.0.1:9100', via: 'direct' },
    ]);
  });

  it('runs the migration once on its runner before any server is drained', () => {
    const driver = new Driver(started(deploymentRequest({ migration: true }))).run();
    const asked = driver.decisions.flatMap((d) => [
      ...d.commands.map((c) => c.kind),
      ...d.events.map((e) => e.type),
    ]);
    expect(asked.indexOf('migrate')).toBeLessThan(asked.indexOf('pool.drain.requested'));
    expect(
      driver
        .commands()
        .filter((c) => c.kind === 'migrate')
        .map((c) => c.nodeId),
    ).toEqual(['web-1']);
    expect(driver.state.status).toBe('succeeded');
  });

  it('watches a bake window after the last batch and succeeds when it stays healthy', () => {
    const driver = new Driver(started(deploymentRequest({ bakeSeconds: 60 }))).run();
    const types = driver.eventTypes();
    expect(types.indexOf('verification.bake.requested')).toBeGreaterThan(
      types.lastIndexOf('deployment.batch.completed'),
    );
    expect(types.at(-1)).toBe('deployment.succeeded');
  });

  it('ignores a duplicated answer and an answer for a step it never issued', () => {
    const driver = new Driver(started(deploymentRequest()));
    const drained = driver.outstanding.shift();
    if (!drained) throw new Error('no answer');
    driver.feed(drained);
    expect(driver.last.commands.map((c) => c.kind)).toEqual(['deploy']);
    const again = driver.feed(drained);
    expect(again.events).toEqual([]);
    expect(again.commands).toEqual([]);
    expect(again.ignored).toMatch(/already succeeded/);
    const stranger = driver.feed({
      type: 'pool.drained',
      operationId: '00000000-0000-4000-8000-000000000000',
    });
    expect(stranger.events).toEqual([]);
    expect(driver.run().state.status).toBe('succeeded');
  });

  it('does not change the state it was given', () => {
    const first = started(deploymentRequest());
    const copy = structuredClone(first.state);
    const answer = new Driver(first).outstanding[0];
    if (!answer) throw new Error('no answer');
    decide(first.state, answer, 100);
    expect(first.state).toEqual(copy);
  });
});

describe('starting a deployment', () => {
  it('refuses a request with no servers to deploy', () => {
    const request = deploymentRequest();
    const bySelector = {
      ...request,
      environmentSpec: {
        ...request.environmentSpec,
        servers: undefined,
        select: { facts: { service: 'nothing' } },
      },
    };
    expect(startDeployment(bySelector, startContext(), 0)).toEqual(
      expect.objectContaining({ ok: false, reason: 'no_targets' }),
    );
  });

  it('selects servers by agent facts and takes their address from the facts', () => {
    const request = deploymentRequest({ servers: 3 });
    const agents = knownAgents(3).map((a, i) => ({
      ...a,
      facts: { ...a.facts, address: `10.0.0.${i + 1}:80` },
    }));
    const spec = {
      ...request.environmentSpec,
      servers: undefined,
      select: { facts: { service: 'billing' } },
      strategy: { ...request.environmentSpec.strategy, minHealthy: 1 },
    };
    const result = startDeployment({ ...request, environmentSpec: spec }, startContext(agents), 0);
    if (!result.ok) throw new Error(result.detail);
    expect(Object.values(result.decision.state.targets).map((t) => t.address)).toEqual([
      '10.0.0.1:80',
      '10.0.0.2:80',
      '10.0.0.3:80',
    ]);
  });

  it('refuses servers it could not verify for want of an address', () => {
    const request = deploymentRequest({ servers: 2, strategy: { minHealthy: 1 } });
    const spec = {
      ...request.environmentSpec,
      servers: [{ id: 'web-1' }, { id: 'web-2', address: '127.0.0.1:1' }],
    };
    expect(startDeployment({ ...request, environmentSpec: spec }, startContext(), 0)).toEqual(
      expect.objectContaining({
        ok: false,
        reason: 'invalid_request',
        detail: expect.stringContaining('web-1'),
      }),
    );
  });

  it('refuses an artifact without a declared size: agents bound the download by it', () => {
    const request = deploymentRequest();
    const { size: _size, ...unsized } = request.artifact;
    expect(startDeployment({ ...request, artifact: unsized }, startContext(), 0)).toEqual({
      ok: false,
      reason: 'invalid_request',
      detail: expect.stringContaining('the artifact has no declared size'),
    });
  });

  it('puts the declared size into every deploy command', () => {
    const driver = new Driver(started(deploymentRequest())).run();
    const deploys = driver.decisions.flatMap((d) => d.commands).filter((c) => c.kind === 'deploy');
    expect(deploys.length).toBeGreaterThan(0);
    for (const command of deploys) expect(command.payload.artifact.size).toBe(4096);
  });

  it('refuses a plan that would break the floor, with the planner reason', () => {
    const result = startDeployment(
      deploymentRequest({ servers: 2, strategy: { minHealthy: 2 } }),
      startContext(knownAgents(2)),
      0,
    );
    expect(result).toEqual(
      expect.objectContaining({
        ok: false,
        reason: 'plan_refused',
        detail: expect.stringContaining('floor_unreachable'),
      }),
    );
  });
});
