import { describeAgents, factsQuery } from './agents-format';
import { describePools } from './pools-format';
import { describePlan, describePromotion } from './promotion-format';
import { formatDuration } from './text';

const promotionId = '0b8e7f1e-2a4b-4d6c-9f3e-5a7b8c9d0e1f';
const planHash = '9c1185a5c5e9fc54612808977ee8f548b2258d31b5f1c9b6c3f8a2d4e5f60718';

describe('what people read', () => {
  it('formats durations the way the live view shows them', () => {
    expect([0, 999, 61_000, 3_725_000].map(formatDuration)).toEqual(['0s', '1s', '1m01s', '1h02m05s']);
  });

  it('shows a pool per instance, backend and server, calling out drift and an unreachable instance', () => {
    const lines = describePools({
      pools: [
        {
          pool: 'shop-prod',
          onlineBackend: 'shop_online',
          maintenanceBackend: 'shop_maint',
          instances: [
            {
              instance: 'haproxy-1',
              reachable: true,
              backends: [
                {
                  role: 'online',
                  backend: 'shop_online',
                  present: true,
                  servers: [
                    {
                      server: 'web-1',
                      state: 'ready',
                      status: 'UP',
                      sessions: 12,
                      weight: 100,
                      intended: 'ready',
                      drift: false,
                    },
                    {
                      server: 'web-2',
                      state: 'ready',
                      status: 'UP',
                      sessions: 3,
                      weight: 100,
                      intended: 'drain',
                      drift: true,
                    },
                  ],
                },
              ],
            },
            { instance: 'haproxy-2', reachable: false, error: 'connect ECONNREFUSED /run/haproxy-2.sock' },
          ],
        },
      ],
    });
    expect(lines).toEqual([
      'pool shop-prod (online backend shop_online, maintenance backend shop_maint)',
      '  INSTANCE   BACKEND             SERVER  STATE  HAPROXY  SESSIONS  WEIGHT  INTENDED',
      '  haproxy-1  online shop_online  web-1   ready  UP       12        100     ready',
      '  haproxy-1  online shop_online  web-2   ready  UP       3         100     drain (DRIFT)',
      '  ! haproxy-2 unreachable: connect ECONNREFUSED /run/haproxy-2.sock',
    ]);
  });

  it('shows the plan an approver reviews, ending with the exact approve command', () => {
    const lines = describePlan({
      promotionId,
      planHash,
      manifestVersion: 3,
      artifact: { url: 'https://artifacts.example.com/shop-1.4.2.zip', sha256: 'e'.repeat(64) },
      plan: {
        service: 'shop',
        environment: 'prod',
        version: '1.4.2',
        targets: { source: 'listed', servers: ['web-1', 'web-2', 'web-3'] },
        migration: null,
        rollout: {
          ok: true,
          effectiveBatchSize: 2,
          batchSizeLimitedBy: 'minHealthy',
          floor: 1,
          estimatedSeconds: 470,
          batches: [
            {
              index: 0,
              kind: 'canary',
              serverIds: ['web-1'],
              capacity: { onlineDuring: 2, floor: 1, headroom: 1 },
              estimate: { totalSeconds: 235, startsAtSeconds: 0 },
            },
            {
              index: 1,
              kind: 'regular',
              serverIds: ['web-2', 'web-3'],
              capacity: { onlineDuring: 1, floor: 1, headroom: 0 },
              estimate: { totalSeconds: 235, startsAtSeconds: 235 },
            },
          ],
        },
      },
    });
    expect(lines).toContain('  targets: 3 servers (web-1, web-2, web-3)');
    expect(lines).toContain(
      '  2 batches of up to 2 (limited by minHealthy), min healthy 1, estimated 7m50s at most',
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^ {4}2 +regular +web-2, web-3 +1 online \(headroom 0\) +starts ≤ 3m55s, takes ≤ 3m55s$/,
      ),
    );
    expect(lines.at(-1)).toBe(
      `  approve: conveyor approve ${promotionId} --plan-hash ${planHash} --artifact-sha256 ${'e'.repeat(64)}`,
    );
  });

  it('says which approvals count, which were voided and why', () => {
    const lines = describePromotion({
      id: promotionId,
      service: 'shop',
      version: '1.4.2',
      fromEnvironment: 'staging',
      toEnvironment: 'prod',
      status: 'awaiting_approval',
      requestedBy: 'carol',
      deploymentId: null,
      planHash,
      approvals: {
        required: 2,
        valid: ['alice'],
        missing: 1,
        voided: [{ approver: 'bob', reason: 'plan_changed' }],
      },
    });
    expect(lines).toEqual([
      `promotion ${promotionId}: shop 1.4.2 staging → prod, awaiting approval`,
      '  approvals: 1 of 2 (alice), 1 missing',
      '  voided: bob (plan_changed)',
      `  review: conveyor plan ${promotionId}`,
    ]);
  });
});

describe('conveyor agents', () => {
  it('shows each agent with its version, a silent one marked with how long, and its facts sorted', () => {
    const lines = describeAgents([
      {
        nodeId: 'web-1',
        facts: { role: 'web', os: 'windows' },
        currentVersion: '2.0.0',
        lastHeartbeatAt: '2026-12-03T10:00:00.000Z',
        status: 'online',
        silentForMs: null,
      },
      {
        nodeId: 'web-2',
        facts: { os: 'windows' },
        currentVersion: null,
        lastHeartbeatAt: '2026-12-03T09:58:00.000Z',
        status: 'silent',
        silentForMs: 125_000,
      },
    ]);
    expect(lines[0]).toMatch(/^NODE\s+VERSION\s+STATUS\s+LAST HEARTBEAT\s+FACTS$/);
    expect(lines[1]).toMatch(/^web-1\s+2\.0\.0\s+online\s+2026-12-03T10:00:00\.000Z\s+os=windows role=web$/);
    expect(lines[2]).toMatch(/^web-2\s+-\s+SILENT 2m05s\s+/);
    expect(describeAgents([])).toEqual(['no agent matches']);
  });

  it('joins repeated and comma-separated --facts into one query', () => {
    expect(factsQuery(['os=windows', 'role=web, tier=front'])).toBe('os=windows,role=web,tier=front');
    expect(factsQuery([])).toBeUndefined();
  });
});
