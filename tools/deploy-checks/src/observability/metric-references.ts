import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoPath } from '../repo-files';

/** Metrics prom-client's collectDefaultMetrics exports (libs/observability) and Prometheus' own `up`. */
export const EXTERNAL_METRIC = /^(process_[a-z_]+|nodejs_[a-z_]+|up)$/;
const HISTOGRAM_SERIES = /_(bucket|sum|count)$/;

export interface MetricDefinition {
  file: string;
  /** From the helper or class that creates it (`histogram({ name: … })`); unknown if not recognisable. */
  kind: 'counter' | 'gauge' | 'histogram' | 'summary' | 'unknown';
}

/** Every `name: 'conveyor_…'` metric definition in apps/ and libs/ (tests excluded). */
export function definedMetrics(): Map<string, MetricDefinition> {
  const found = new Map<string, MetricDefinition>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(path);
      } else if (entry.name.endsWith('.ts') && !/\.(spec|int-spec)\.ts$/.test(entry.name)) {
        const text = readFileSync(path, 'utf8');
        const file = path.slice(repoPath().length + 1);
        for (const match of text.matchAll(/name:\s*'(conveyor_[a-z0-9_]+)'/g))
          found.set(match[1], { file, kind: 'unknown' });
        for (const match of text.matchAll(
          /\b(?:new\s+)?(counter|gauge|histogram|summary)\s*(?:<[^>]*>)?\(\s*\{\s*name:\s*'(conveyor_[a-z0-9_]+)'/gi,
        )) {
          found.set(match[2], { file, kind: match[1].toLowerCase() as MetricDefinition['kind'] });
        }
        // A small factory of one kind, e.g. `doraGauge('conveyor_dora_…', help, pick)`.
        for (const match of text.matchAll(
          /\b[a-z]\w*(Counter|Gauge|Histogram|Summary)\(\s*'(conveyor_[a-z0-9_]+)'/g,
        ))
          found.set(match[2], { file, kind: match[1].toLowerCase() as MetricDefinition['kind'] });
      }
    }
  };
  walk(repoPath('apps'));
  walk(repoPath('libs'));
  return found;
}

const PROMQL_WORDS = new Set([
  'sum',
  'max',
  'min',
  'avg',
  'count',
  'rate',
  'irate',
  'increase',
  'changes',
  'histogram_quantile',
  'by',
  'without',
  'on',
  'ignoring',
  'and',
  'or',
  'unless',
  'offset',
  'label_values',
  'group_left',
  'group_right',
  'bool',
  'le',
  'abs',
  'absent',
  'delta',
  'deriv',
  'topk',
  'bottomk',
]);

/** The metric names a PromQL expression reads: identifiers not inside {…} or a string, not functions or keywords, not label names after by/on. */
export function metricNamesIn(expr: string): string[] {
  // Grafana's label_values(metric, label): the second argument is a label.
  const withoutStrings = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\blabel_values\(\s*([^,)]+?)\s*,[^)]*\)/g, '$1');
  const withoutMatchers = withoutStrings.replace(/\{[^}]*\}/g, '{}');
  const withoutGroupings = withoutMatchers.replace(
    /\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g,
    '$1()',
  );
  const withoutRanges = withoutGroupings.replace(/\[[^\]]*\]/g, '[]').replace(/\boffset\s+\d+[smhdwy]/g, '');
  const names = withoutRanges.match(/\b[a-zA-Z_:][a-zA-Z0-9_:]*\b/g) ?? [];
  return [
    ...new Set(
      names.filter((name) => !PROMQL_WORDS.has(name) && !/^\d/.test(name) && !/^(e|inf|nan)$/i.test(name)),
    ),
  ];
}

/** The metric a series belongs to: histogram series `_bucket`, `_sum` and `_count` map to their base. */
export function baseMetric(name: string, defined: ReadonlyMap<string, MetricDefinition>): string {
  if (defined.has(name)) return name;
  const base = name.replace(HISTOGRAM_SERIES, '');
  const kind = defined.get(base)?.kind;
  return kind === 'histogram' || (kind === 'summary' && !name.endsWith('_bucket')) ? base : name;
}

/** Names in `exprs` neither defined in the code nor exported by prom-client / Prometheus. */
export function unknownMetrics(
  exprs: readonly string[],
  defined: ReadonlyMap<string, MetricDefinition>,
): string[] {
  const unknown = new Set<string>();
  for (const expr of exprs) {
    for (const name of metricNamesIn(expr)) {
      if (EXTERNAL_METRIC.test(name)) continue;
      if (!defined.has(baseMetric(name, defined))) unknown.add(name);
    }
  }
  return [...unknown];
}
