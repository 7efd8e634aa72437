import { z } from 'zod';
import { readRepoFile, readYamlDocuments } from '../repo-files';
import { baseMetric, definedMetrics, metricNamesIn, unknownMetrics } from './metric-references';

const rule = z.strictObject({
  alert: z.string().regex(/^Conveyor[A-Za-z]+$/),
  expr: z.string().min(1),
  for: z
    .string()
    .regex(/^\d+[smh]$/)
    .optional(),
  labels: z.strictObject({ severity: z.enum(['critical', 'warning', 'info']) }),
  annotations: z.object({ summary: z.string().min(10), description: z.string().optional() }),
});
const rulesFile = z.strictObject({
  groups: z.array(z.strictObject({ name: z.string(), rules: z.array(rule).min(1) })).min(1),
});
const target = z.object({ expr: z.string().min(1), refId: z.string() });
const panel = z.object({
  type: z.string(),
  title: z.string(),
  targets: z.array(target).optional(),
  gridPos: z.object({ h: z.number(), w: z.number(), x: z.number(), y: z.number() }),
});
const dashboard = z.object({
  uid: z.string(),
  title: z.string(),
  panels: z.array(panel).min(1),
  templating: z.object({
    list: z.array(
      z.object({
        name: z.string(),
        query: z.union([z.string(), z.object({ query: z.string() })]).optional(),
      }),
    ),
  }),
});

const defined = definedMetrics();
const alerts = rulesFile.parse(readYamlDocuments('deploy', 'prometheus', 'alerts.yml')[0]);
const rules = alerts.groups.flatMap((group) => group.rules);
const board = dashboard.parse(JSON.parse(readRepoFile('deploy', 'grafana', 'conveyor-dashboard.json')));
const boardExprs = [
  ...board.panels.flatMap((item) => (item.targets ?? []).map((t) => t.expr)),
  ...board.templating.list
    .map((variable) => (typeof variable.query === 'object' ? variable.query.query : (variable.query ?? '')))
    .filter((query) => query.startsWith('label_values(')),
];

describe('metric references', () => {
  it('finds the metrics the code defines, with their kinds', () => {
    expect(defined.get('conveyor_servers_out_of_service')?.kind).toBe('gauge');
    expect(defined.get('conveyor_rollout_step_seconds')?.kind).toBe('histogram');
    expect(defined.get('conveyor_events_consumed_total')?.kind).toBe('counter');
  });

  it('reads metric names out of PromQL, not functions, labels, strings or durations', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.95, sum by (le, step) (rate(conveyor_rollout_step_seconds_bucket{job=~"a|b"}[5m] offset 1h))) > 0 and on() up',
      ),
    ).toEqual(['conveyor_rollout_step_seconds_bucket', 'up']);
  });

  it('maps histogram series to their metric, and nothing else', () => {
    expect(baseMetric('conveyor_rollout_step_seconds_count', defined)).toBe('conveyor_rollout_step_seconds');
    expect(
      unknownMetrics(
        [
          'conveyor_deployments_total_count',
          'conveyor_no_such_metric',
          'rate(conveyor_events_published_total[5m])',
        ],
        defined,
      ),
    ).toEqual(['conveyor_deployments_total_count', 'conveyor_no_such_metric']);
  });
});

describe('deploy/prometheus/alerts.yml', () => {
  it('has the alerts the runbook names', () => {
    expect(rules.map((item) => item.alert)).toEqual(
      expect.arrayContaining([
        'ConveyorRolloutStuck',
        'ConveyorServersOutOfServiceTooLong',
        'ConveyorDeadLetterQueueGrowing',
        'ConveyorAuditVerificationFailed',
        'ConveyorAgentHeartbeatsMissing',
      ]),
    );
    expect(new Set(rules.map((item) => item.alert)).size).toBe(rules.length);
  });

  it('references only metrics the code exports', () => {
    expect(
      unknownMetrics(
        rules.map((item) => item.expr),
        defined,
      ),
    ).toEqual([]);
  });

  it('has balanced brackets in every expression', () => {
    for (const item of rules) {
      let depth = 0;
      for (const char of item.expr.replace(/"(?:[^"\\]|\\.)*"/g, '')) {
        depth += '({['.includes(char) ? 1 : ')}]'.includes(char) ? -1 : 0;
        expect([item.alert, depth >= 0]).toEqual([item.alert, true]);
      }
      expect([item.alert, depth]).toEqual([item.alert, 0]);
    }
  });
});

describe('deploy/grafana/conveyor-dashboard.json', () => {
  it('references only metrics the code exports', () => {
    expect(boardExprs.length).toBeGreaterThan(20);
    expect(unknownMetrics(boardExprs, defined)).toEqual([]);
  });

  it('shows every conveyor_ metric the code defines', () => {
    const shown = new Set(
      boardExprs.flatMap((expr) => metricNamesIn(expr)).map((name) => baseMetric(name, defined)),
    );
    expect([...defined.keys()].filter((name) => !shown.has(name))).toEqual([]);
  });

  it('lays panels out inside the 24-column grid', () => {
    for (const item of board.panels)
      expect([item.title, item.gridPos.x + item.gridPos.w <= 24]).toEqual([item.title, true]);
  });
});
