import { gauge } from '@conveyor/observability';

/** One service's four figures as the gauges export them (null: no value, the series is absent). */
export interface DoraGaugeValues {
  service: string;
  deploymentFrequencyPerDay: number;
  leadTimeSeconds: number | null;
  changeFailureRate: number | null;
  timeToRestoreSeconds: number | null;
}

/**
 * Where the gauges read their values at scrape time: the database, through the pipeline's
 * `DoraMetricsService`. Every replica answers the same (nothing depends on which replica handled
 * which event). Unset (no pipeline running in this process): the gauges export nothing.
 */
let source: (() => Promise<readonly DoraGaugeValues[]>) | undefined;
let pending: { at: number; values: Promise<readonly DoraGaugeValues[]> } | undefined;

export function setDoraSource(read: (() => Promise<readonly DoraGaugeValues[]>) | undefined): void {
  source = read;
  pending = undefined;
}

/** One database read per scrape for the four gauges (reused for a second). */
function current(): Promise<readonly DoraGaugeValues[]> {
  if (!source) return Promise.resolve([]);
  const now = Date.now();
  if (!pending || now - pending.at > 1_000) pending = { at: now, values: source() };
  return pending.values;
}

function doraGauge(name: string, help: string, pick: (values: DoraGaugeValues) => number | null) {
  return gauge({
    name,
    help,
    labelNames: ['service'] as const,
    async collect() {
      const values = await current();
      this.reset();
      for (const entry of values) {
        const value = pick(entry);
        if (value !== null) this.set({ service: entry.service }, value);
      }
    },
  });
}

export const doraDeploymentFrequency = doraGauge(
  'conveyor_dora_deployment_frequency_per_day',
  'Successful production deployments per day over the last 30 days, per service.',
  (values) => values.deploymentFrequencyPerDay,
);
export const doraLeadTime = doraGauge(
  'conveyor_dora_lead_time_seconds',
  'Median seconds from commit to a successful production deployment over the last 30 days, per service.',
  (values) => values.leadTimeSeconds,
);
export const doraChangeFailureRate = doraGauge(
  'conveyor_dora_change_failure_rate',
  'Share of production deployments over the last 30 days that failed or were rolled back, per service.',
  (values) => values.changeFailureRate,
);
export const doraTimeToRestore = doraGauge(
  'conveyor_dora_time_to_restore_seconds',
  'Median seconds from a failed production deployment to the next successful one over the last 30 days, per service.',
  (values) => values.timeToRestoreSeconds,
);
