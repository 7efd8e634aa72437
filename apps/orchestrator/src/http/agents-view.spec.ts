import { agentsQuery, agentViews } from './agents-view';

const row = (nodeId: string, facts: Record<string, string>, heardAt: number) => ({
  nodeId,
  facts,
  currentVersion: '1.0.0',
  lastHeartbeatAt: new Date(heardAt),
  intervalMs: 5_000,
});

describe('discovery: the agents the orchestrator hears', () => {
  const rows = [
    row('web-2', { os: 'windows', role: 'web' }, 100_000),
    row('web-1', { os: 'windows', role: 'web' }, 40_000),
    row('db-1', { os: 'linux', role: 'db' }, 100_000),
  ];

  it('lists them by node id, online or silent by the silence limit', () => {
    const views = agentViews(rows, {}, 101_000, 30_000);
    expect(views.map((v) => `${v.nodeId}:${v.status}:${String(v.silentForMs)}`)).toEqual([
      'db-1:online:null',
      'web-1:silent:61000',
      'web-2:online:null',
    ]);
    expect(views[0]?.lastHeartbeatAt).toBe(new Date(100_000).toISOString());
  });

  it('selects by facts: every one given must match', () => {
    const query = agentsQuery.parse({ facts: 'os=windows, role=web' });
    expect(query.facts).toEqual({ os: 'windows', role: 'web' });
    expect(agentViews(rows, query.facts, 101_000, 30_000).map((v) => v.nodeId)).toEqual(['web-1', 'web-2']);
    expect(agentViews(rows, { os: 'windows', role: 'db' }, 101_000, 30_000)).toEqual([]);
    expect(agentsQuery.parse({}).facts).toEqual({});
  });

  it.each([
    ['os', '"os": each fact must be key=value'],
    ['os=a=b', '"os=a=b": each fact must be key=value'],
    ['bad key!=x', 'a fact key must be'],
  ])('refuses facts=%s, naming the pair', (facts, message) => {
    const parsed = agentsQuery.safeParse({ facts });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.message).join('; ')).toContain(message);
  });
});
