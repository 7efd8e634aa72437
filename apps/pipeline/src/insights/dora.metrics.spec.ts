import { metricsRegistry } from '@conveyor/observability';
import { setDoraSource, type DoraGaugeValues } from './dora.metrics';

describe('DORA gauges: read at scrape time from the source (the database), not from events seen', () => {
  afterEach(() => setDoraSource(undefined));

  it('export what the source answers at each scrape, and drop a series whose value is gone', async () => {
    let figures: DoraGaugeValues[] = [
      {
        service: 'shop',
        deploymentFrequencyPerDay: 0.5,
        leadTimeSeconds: 3600,
        changeFailureRate: 0.25,
        timeToRestoreSeconds: null,
      },
    ];
    let reads = 0;
    setDoraSource(async () => {
      reads += 1;
      return figures;
    });
    const first = await metricsRegistry.metrics();
    expect(first).toMatch(/conveyor_dora_deployment_frequency_per_day\{service="shop"\} 0\.5/);
    expect(first).toMatch(/conveyor_dora_lead_time_seconds\{service="shop"\} 3600/);
    expect(first).toMatch(/conveyor_dora_change_failure_rate\{service="shop"\} 0\.25/);
    expect(first).not.toMatch(/conveyor_dora_time_to_restore_seconds\{/);
    // One read for the four gauges of a scrape.
    expect(reads).toBe(1);

    // Another replica recorded deployments: this one never saw the events, the next scrape shows them.
    figures = [{ ...figures[0], deploymentFrequencyPerDay: 1, leadTimeSeconds: null }];
    setDoraSource(async () => figures);
    const second = await metricsRegistry.metrics();
    expect(second).toMatch(/conveyor_dora_deployment_frequency_per_day\{service="shop"\} 1\n/);
    expect(second).not.toMatch(/conveyor_dora_lead_time_seconds\{/);
  });

  it('export nothing without a source', async () => {
    setDoraSource(undefined);
    expect(await metricsRegistry.metrics()).not.toMatch(/conveyor_dora_[a-z_]+\{/);
  });
});
