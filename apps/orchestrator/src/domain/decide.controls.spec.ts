import { Driver, deploymentRequest, started } from '../testing/deployment.factory';

function refusals(driver: Driver): string[] {
  return driver
    .events()
    .flatMap((e) => (e.type === 'deployment.control.refused' ? [`${e.data.control}: ${e.data.reason}`] : []));
}

describe('pause and resume', () => {
  it('pauses at the next batch boundary, with every server back online, issues nothing while paused, and goes on when resumed', () => {
    const driver = new Driver(started(deploymentRequest()));
    driver.feed({ type: 'pause' });
    expect(driver.state.status).toBe('running');
    driver.run();
    expect(driver.state.status).toBe('paused');
    expect(driver.state.wakeAt).toBeNull();
    expect(driver.eventTypes().filter((t) => t === 'deployment.paused')).toHaveLength(1);
    // The canary's batch, under way when the pause came, finished: deployed, verified, back online.
    expect(driver.commands().map((c) => `${c.kind}:${c.nodeId}`)).toEqual(['deploy:web-1']);
    expect(driver.eventTypes()).toContain('pool.enable.requested');
    expect(driver.state.outOfService).toEqual([]);

    driver.feed({ type: 'tick', lastHeartbeats: {} }, 60_000);
    expect(driver.last.commands).toEqual([]);
    expect(driver.last.events.filter((e) => e.type === 'pool.drain.requested')).toEqual([]);
    driver.feed({ type: 'resume' });
    expect(driver.last.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['deployment.resumed', 'pool.drain.requested']),
    );
    expect(driver.run().state.status).toBe('succeeded');
  });

  it('refuses a resume when nothing is paused, and a second pause', () => {
    const driver = new Driver(started(deploymentRequest()));
    driver.feed({ type: 'resume' });
    driver.feed({ type: 'pause' });
    driver.feed({ type: 'pause' });
    expect(refusals(driver)).toEqual([
      'resume: the deployment is running, not paused',
      'pause: the deployment is already paused or pausing',
    ]);
  });
});

describe('abort', () => {
  it('mid-deploy: waits for the deploys in flight, rolls the batch back, puts it online, leaves later batches untouched', () => {
    const driver = new Driver(started(deploymentRequest()));
    driver.run((a) => {
      if (a.type === 'agent.succeeded' && a.nodeId === 'web-2')
        driver.feed({ type: 'abort', reason: 'wrong build' });
      return a;
    });
    expect(driver.state.status).toBe('aborted');
    expect(
      driver
        .commands()
        .filter((c) => c.kind === 'rollback')
        .map((c) => c.nodeId),
    ).toEqual(['web-2', 'web-3']);
    const drained = driver.events().flatMap((e) => (e.type === 'pool.drain.requested' ? e.data.servers : []));
    expect(drained).toEqual(['web-1', 'web-2', 'web-3']);
    expect(driver.state.batches.map((b) => b.phase)).toEqual(['done', 'restored', 'pending', 'pending']);
    expect(driver.state.outOfService).toEqual([]);
    expect(driver.eventTypes().at(-1)).toBe('deployment.aborted');
  });

  it('while paused between batches: ends at once, every server online', () => {
    const driver = new Driver(started(deploymentRequest()));
    let paused = false;
    driver.run((a) => {
      if (!paused && a.type === 'pool.enabled') {
        paused = true;
        driver.feed({ type: 'pause' });
      }
      return a;
    });
    expect(driver.state.status).toBe('paused');
    driver.feed({ type: 'abort', reason: 'enough' });
    expect(driver.state.status).toBe('aborted');
    expect(driver.last.events.map((e) => e.type)).toEqual(['deployment.aborted']);
  });

  it('before a drained batch was deployed: puts it back online without rollback or verification', () => {
    const driver = new Driver(started(deploymentRequest()));
    driver.feed({ type: 'abort', reason: 'stop' });
    driver.run();
    expect(driver.commands()).toEqual([]);
    expect(driver.eventTypes().filter((t) => t.startsWith('pool.'))).toEqual([
      'pool.drain.requested',
      'pool.enable.requested',
    ]);
    expect(driver.state.status).toBe('aborted');
  });

  it('during the migration: ends at once, no server touched', () => {
    const driver = new Driver(started(deploymentRequest({ migration: true })));
    driver.feed({ type: 'abort', reason: 'stop' });
    expect(driver.state.status).toBe('aborted');
    driver.run();
    expect(driver.eventTypes()).not.toContain('pool.drain.requested');
  });

  it('is refused once the deployment ended', () => {
    const driver = new Driver(started(deploymentRequest())).run();
    driver.feed({ type: 'abort', reason: 'late' });
    expect(refusals(driver)).toEqual(['abort: the deployment already ended (succeeded)']);
  });
});

describe('retry', () => {
  it('is refused unless the deployment is held', () => {
    const driver = new Driver(started(deploymentRequest()));
    driver.feed({ type: 'retry' });
    expect(refusals(driver)).toEqual([
      'retry: only a held deployment can retry its failed step (it is running)',
    ]);
  });

  it('re-drains a batch whose drain the pool manager refused', () => {
    let refused = false;
    const driver = new Driver(started(deploymentRequest({ strategy: { onFailure: 'hold' } }))).run((a) => {
      if (a.type !== 'pool.drained' || refused) return a;
      refused = true;
      return {
        type: 'pool.failed',
        operationId: a.operationId,
        operation: 'drain',
        reason: 'capacity_floor',
      };
    });
    expect(driver.state.status).toBe('held');
    expect(driver.state.outOfService).toEqual([]);
    driver.feed({ type: 'retry' });
    expect(driver.last.events.filter((e) => e.type === 'pool.drain.requested')).toHaveLength(1);
    expect(driver.run().state.status).toBe('succeeded');
  });
});

describe('exclude a host', () => {
  it('leaves a server of a batch not started out of the rollout', () => {
    const driver = new Driver(started(deploymentRequest()));
    driver.feed({ type: 'exclude', serverId: 'web-6', reason: 'disk failing' });
    driver.feed({ type: 'exclude', serverId: 'web-4', reason: 'disk failing' });
    driver.run();
    expect(driver.state.status).toBe('succeeded');
    const drained = driver.events().flatMap((e) => (e.type === 'pool.drain.requested' ? e.data.servers : []));
    expect(drained).toEqual(['web-1', 'web-2', 'web-3', 'web-5']);
    const excluded = driver
      .events()
      .flatMap((e) =>
        e.type === 'deployment.server.progressed' && e.data.step === 'excluded' ? [e.data.serverId] : [],
      );
    expect(excluded).toEqual(['web-6', 'web-4']);
  });

  it('refuses a server whose batch started, and one that is not a target', () => {
    const driver = new Driver(started(deploymentRequest()));
    driver.feed({ type: 'exclude', serverId: 'web-1', reason: 'x' });
    driver.feed({ type: 'exclude', serverId: 'db-1', reason: 'x' });
    expect(refusals(driver)).toEqual([
      'exclude: web-1 is in batch 0 which has already started; only servers of batches not started can be excluded',
      'exclude: db-1 is not a target of this deployment',
    ]);
  });
});
