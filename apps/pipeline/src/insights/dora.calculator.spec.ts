import { computeDora, type ProductionDeployment } from './dora.calculator';

const now = new Date('2025-03-31T00:00:00Z');
const at = (iso: string) => new Date(iso);
function deployment(
  status: ProductionDeployment['status'],
  finished: string,
  committed: string | null = null,
): ProductionDeployment {
  return { status, finishedAt: at(finished), committedAt: committed === null ? null : at(committed) };
}

describe('the DORA figures of a service', () => {
  it('has no lead time, failure rate or restore time without production deployments', () => {
    expect(computeDora([], now, 30)).toEqual({
      windowDays: 30,
      deployments: 0,
      deploymentFrequencyPerDay: 0,
      leadTimeSeconds: null,
      changeFailureRate: null,
      timeToRestoreSeconds: null,
    });
  });

  it('counts successful deployments per day and takes the median lead time from commit', () => {
    const figures = computeDora(
      [
        deployment('succeeded', '2025-03-10T12:00:00Z', '2025-03-10T11:00:00Z'), // 1 h
        deployment('succeeded', '2025-03-20T12:00:00Z', '2025-03-20T09:00:00Z'), // 3 h
        deployment('succeeded', '2025-03-25T12:00:00Z', '2025-03-24T12:00:00Z'), // 24 h
      ],
      now,
      30,
    );
    expect(figures.deploymentFrequencyPerDay).toBe(0.1);
    expect(figures.leadTimeSeconds).toBe(3 * 3600);
    expect(figures.changeFailureRate).toBe(0);
    expect(figures.timeToRestoreSeconds).toBeNull();
  });

  it('leaves out deployments outside the window and those whose commit time is unknown from the lead time', () => {
    const figures = computeDora(
      [
        deployment('succeeded', '2025-01-01T00:00:00Z', '2024-12-31T00:00:00Z'),
        deployment('succeeded', '2025-03-30T00:00:00Z', null),
        deployment('succeeded', '2025-03-30T02:00:00Z', '2025-03-30T01:00:00Z'),
      ],
      now,
      7,
    );
    expect(figures.deployments).toBe(2);
    expect(figures.leadTimeSeconds).toBe(3600);
  });

  it('rates failed and rolled-back deployments against all finished ones, and measures the time to the next success', () => {
    const figures = computeDora(
      [
        deployment('succeeded', '2025-03-01T06:00:00Z'),
        deployment('failed', '2025-03-02T00:00:00Z'),
        deployment('rolled_back', '2025-03-02T01:00:00Z'),
        deployment('succeeded', '2025-03-02T02:00:00Z'),
        deployment('rolled_back', '2025-03-05T00:00:00Z'),
        deployment('succeeded', '2025-03-05T00:30:00Z'),
        deployment('failed', '2025-03-06T00:00:00Z'),
      ],
      now,
      30,
    );
    expect(figures.changeFailureRate).toBe(Math.round((4 / 7) * 1000) / 1000);
    // restores: 2 h (from the first of two failures) and 30 min; the last failure is not restored yet
    expect(figures.timeToRestoreSeconds).toBe((7200 + 1800) / 2);
  });
});
