import { randomUUID } from 'node:crypto';
import { decodeEnvelope, parseEventData, ContractViolationError } from './envelope';
import { eventContracts, isEventType, type EventInput, type EventType } from './registry';
import { serviceManifestSchema } from './manifest';
import { timeRangeProblem } from './common';

function envelope(type: string, data: unknown) {
  return {
    specversion: '1.0',
    id: randomUUID(),
    type,
    source: 'test',
    time: new Date().toISOString(),
    subject: null,
    correlationid: randomUUID(),
    causationid: null,
    actor: 'alice',
    datacontenttype: 'application/json',
    data,
  };
}

const drain = {
  operationId: randomUUID(),
  pool: 'payments',
  servers: ['web-1'],
  drainTimeoutMs: 30_000,
  minHealthy: 2,
};

describe('decodeEnvelope', () => {
  it('accepts a valid event and applies the contract defaults', () => {
    const result = decodeEnvelope(envelope('pool.drain.requested', drain));
    expect(result.ok).toBe(true);
    if (result.ok && result.envelope.type === 'pool.drain.requested') {
      expect(result.envelope.data.onTimeout).toBe('fail');
    }
  });

  it('names the field that is wrong in the data', () => {
    const result = decodeEnvelope(envelope('pool.drain.requested', { ...drain, servers: [] }));
    expect(result).toMatchObject({ ok: false, type: 'pool.drain.requested' });
    if (!result.ok) expect(result.error).toMatch(/^invalid pool.drain.requested: data.servers: /);
  });

  it('refuses an unknown type and a broken envelope', () => {
    const unknown = decodeEnvelope(envelope('pool.drain.requestd', drain));
    expect(unknown).toMatchObject({ ok: false, error: 'unknown event type "pool.drain.requestd"' });
    // The envelope is still handed back (data unchecked), for the audit to record it.
    expect(unknown).toMatchObject({ unknownType: { type: 'pool.drain.requestd', data: drain } });
    const broken = decodeEnvelope({ ...envelope('pool.drain.requested', drain), id: 'nope' });
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.error).toContain('id:');
    expect(broken).not.toHaveProperty('unknownType');
    expect(decodeEnvelope('not an object').ok).toBe(false);
    expect(decodeEnvelope(null).ok).toBe(false);
  });
});

describe('times out of range (PostgreSQL has no year 0)', () => {
  it('refuses an envelope or a payload time outside years 0001-9999 UTC, naming the field', () => {
    const yearZero = decodeEnvelope({
      ...envelope('pool.drain.requested', drain),
      time: '0000-06-01T00:00:00Z',
    });
    expect(yearZero.ok).toBe(false);
    if (!yearZero.ok) expect(yearZero.error).toMatch(/time: must be between 0001-01-01T00:00:00Z and 9999/);
    const late = decodeEnvelope(
      envelope('identity.token.revoked', {
        tokenId: randomUUID(),
        name: 'alice',
        role: 'auditor',
        revokedAt: '9999-12-31T23:30:00-01:00',
        revokedBy: 'admin:bootstrap',
      }),
    );
    expect(late.ok).toBe(false);
    if (!late.ok) expect(late.error).toContain('data.revokedAt: must be between');
    expect(timeRangeProblem('0001-01-01T00:00:00Z')).toBeNull();
    expect(timeRangeProblem('9999-12-31T23:59:59Z')).toBeNull();
  });
});

describe('the event registry', () => {
  it('has one contract per type, each versioned, with routing-safe names', () => {
    const types = eventContracts.map((c) => c.type);
    expect(new Set(types).size).toBe(types.length);
    for (const c of eventContracts) {
      expect(c.type).toMatch(/^[a-z]+(\.[a-z_]+)+(\.v[0-9]+)?$/);
      expect(c.version).toBeGreaterThanOrEqual(1);
      expect(isEventType(c.type)).toBe(true);
    }
  });

  it('covers the rollout conversation of the design', () => {
    const conversation: EventType[] = [
      'deployment.requested',
      'deployment.started',
      'deployment.batch.started',
      'pool.drain.requested',
      'pool.server.drained',
      'pool.operation.failed',
      'agent.deploy.requested',
      'agent.deploy.succeeded',
      'agent.deploy.failed',
      'verification.requested',
      'verification.passed',
      'verification.failed',
      'pool.enable.requested',
      'pool.server.enabled',
      'deployment.batch.completed',
      'deployment.succeeded',
      'deployment.failed',
      'deployment.rolled_back',
    ];
    for (const type of conversation) expect(isEventType(type)).toBe(true);
  });

  it('parseEventData throws a ContractViolationError naming the field', () => {
    expect(() => parseEventData('deployment.paused', { deploymentId: 'x' })).toThrow(ContractViolationError);
    expect(() => parseEventData('deployment.paused', { deploymentId: 'x' })).toThrow(/data.deploymentId/);
  });

  it('rejects unknown types and wrong payloads at compile time', () => {
    const good: EventInput['deployment.paused'] = { deploymentId: randomUUID() };
    // @ts-expect-error a misspelt type is not an EventType
    const bad: EventType = 'deployment.startd';
    // @ts-expect-error a payload of the wrong shape does not type-check
    const wrong: EventInput['deployment.paused'] = { id: 1 };
    expect([good, bad, wrong]).toHaveLength(3);
  });
});

describe('serviceManifestSchema', () => {
  const env = {
    pool: 'payments',
    servers: [{ id: 'web-1', address: '10.0.0.1:8080' }],
    strategy: { batchSize: '25%', minHealthy: 1 },
  };

  it('accepts a minimal manifest and keeps the environment order', () => {
    const m = serviceManifestSchema.parse({
      service: 'payments-api',
      environments: { dev: env, qa: env, prod: env },
    });
    expect(Object.keys(m.environments)).toEqual(['dev', 'qa', 'prod']);
    expect(m.environments.dev.strategy.onFailure).toBe('rollback');
    expect(m.environments.dev.verification.allowInconclusive).toBe(false);
  });

  it('reports every problem with its path', () => {
    const result = serviceManifestSchema.safeParse({
      service: 'payments-api',
      environments: { prod: { ...env, strategy: { batchSize: 'many', minHealthy: 1 } } },
    });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(paths).toContain('environments.prod.strategy.batchSize: must be a count or a percentage');
  });

  it('refuses an environment with neither servers nor a fact selector', () => {
    const result = serviceManifestSchema.safeParse({
      service: 'payments-api',
      environments: { prod: { pool: 'p', strategy: { batchSize: 1, minHealthy: 1 } } },
    });
    expect(result.error?.issues[0].message).toBe('must list servers or select them by agent facts');
  });
});
