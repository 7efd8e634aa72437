import { randomUUID } from 'node:crypto';
import { refuseAtOnce } from './pool-request.service';

const drain = (pool: string, servers: string[]) => ({
  kind: 'drain' as const,
  data: {
    operationId: randomUUID(),
    pool,
    servers,
    drainTimeoutMs: 1000,
    minHealthy: 1,
    onTimeout: 'fail' as const,
  },
});

describe('refuseAtOnce', () => {
  it('refuses a pool that is not configured, naming the known ones', () => {
    expect(refuseAtOnce(drain('nope', ['s1']), ['web', 'api'])).toEqual({
      reason: 'unknown_pool',
      detail: 'pool "nope" is not configured (known: web, api)',
    });
  });

  it('refuses a server listed twice', () => {
    expect(refuseAtOnce(drain('web', ['s1', 's2', 's1']), ['web'])).toEqual({
      reason: 'invalid_request',
      detail: 'servers listed more than once: s1',
    });
  });

  it('lets a well-formed request through (servers are checked against live HAProxy later)', () => {
    expect(refuseAtOnce(drain('web', ['s1', 's9']), ['web'])).toBeUndefined();
  });
});
