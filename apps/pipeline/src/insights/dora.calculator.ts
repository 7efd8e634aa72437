/** A finished deployment to the production environment, as the DORA figures need it. */
export interface ProductionDeployment {
  status: 'succeeded' | 'failed' | 'rolled_back';
  finishedAt: Date;
  /** When the deployed commit was made (or its build started); null when unknown. */
  committedAt: Date | null;
}

export interface DoraFigures {
  windowDays: number;
  deployments: number;
  /** Successful production deployments per day over the window. */
  deploymentFrequencyPerDay: number;
  /** Median seconds from commit to a successful production deployment; null without data. */
  leadTimeSeconds: number | null;
  /** Failed (failed or rolled back) over all finished production deployments; null without any. */
  changeFailureRate: number | null;
  /** Median seconds from a failed production deployment to the next successful one; null without any restored failure. */
  timeToRestoreSeconds: number | null;
}

const DAY_MS = 86_400_000;

/**
 * The four DORA figures for one service over the `windowDays` before `now`. Pure.
 * Aborted and rejected deployments count for nothing: they changed nothing in production.
 */
export function computeDora(
  deployments: readonly ProductionDeployment[],
  now: Date,
  windowDays: number,
): DoraFigures {
  const since = now.getTime() - windowDays * DAY_MS;
  const inWindow = deployments
    .filter((d) => d.finishedAt.getTime() > since && d.finishedAt.getTime() <= now.getTime())
    .sort((a, b) => a.finishedAt.getTime() - b.finishedAt.getTime());
  const succeeded = inWindow.filter((d) => d.status === 'succeeded');
  const failedCount = inWindow.length - succeeded.length;
  const leadTimes = succeeded
    .filter((d): d is ProductionDeployment & { committedAt: Date } => d.committedAt !== null)
    .map((d) => Math.max(0, (d.finishedAt.getTime() - d.committedAt.getTime()) / 1000));
  return {
    windowDays,
    deployments: inWindow.length,
    deploymentFrequencyPerDay: round(succeeded.length / windowDays),
    leadTimeSeconds: median(leadTimes),
    changeFailureRate: inWindow.length === 0 ? null : round(failedCount / inWindow.length),
    timeToRestoreSeconds: median(restoreTimes(inWindow)),
  };
}

/** For each run of failures, the seconds from its first failure to the next success. */
function restoreTimes(ordered: readonly ProductionDeployment[]): number[] {
  const times: number[] = [];
  let firstFailure: Date | null = null;
  for (const deployment of ordered) {
    if (deployment.status === 'succeeded') {
      if (firstFailure) times.push((deployment.finishedAt.getTime() - firstFailure.getTime()) / 1000);
      firstFailure = null;
    } else {
      firstFailure ??= deployment.finishedAt;
    }
  }
  return times;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const upper = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const lower = sorted[Math.ceil(sorted.length / 2) - 1] ?? 0;
  return round((lower + upper) / 2);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
