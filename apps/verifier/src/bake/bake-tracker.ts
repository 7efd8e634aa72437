/** One probe of one server in a bake round. */
export interface ProbeResult {
  serverId: string;
  healthy: boolean;
  detail: string;
}

export interface DegradedServer {
  serverId: string;
  consecutiveFailures: number;
  /** The last failing probe's detail. */
  detail: string;
}

/** Consecutive failed probes per server. */
export type BakeState = ReadonlyMap<string, number>;

/**
 * Folds one probe round into the state. A server is degraded once it has failed
 * `failureThreshold` probes in a row; a healthy probe resets its count (one blip is not a
 * degradation).
 */
export function recordProbeRound(
  state: BakeState,
  round: readonly ProbeResult[],
  failureThreshold: number,
): { state: BakeState; degraded: DegradedServer[] } {
  const next = new Map(state);
  const degraded: DegradedServer[] = [];
  for (const probe of round) {
    const failures = probe.healthy ? 0 : (state.get(probe.serverId) ?? 0) + 1;
    next.set(probe.serverId, failures);
    if (failures >= failureThreshold)
      degraded.push({ serverId: probe.serverId, consecutiveFailures: failures, detail: probe.detail });
  }
  return { state: next, degraded };
}

/** The `health.degraded` detail: which servers, how often, what they answered. */
export function degradationDetail(degraded: readonly DegradedServer[]): string {
  const text = degraded
    .map((d) => `${d.serverId} failed ${d.consecutiveFailures} probes in a row (last: ${d.detail})`)
    .join('; ');
  return text.length > 2000 ? `${text.slice(0, 1999)}…` : text;
}
