import type { DeploymentState } from './deployment-state.types';

/**
 * What a server serves as far as this deployment knows: `new` (the deployment's version), `previous`
 * (what it ran before, or never touched), or `unknown` (a deploy or rollback got no answer, or failed
 * half-way). An agent's own report (`agent.state.reported`) heard after its last step wins.
 */
export interface ServerVersion {
  readonly serverId: string;
  readonly state: 'new' | 'previous' | 'unknown';
  /** The version when known: the new one, the reported one, or the one it ran before (null: unknown). */
  readonly version: string | null;
  /** Still out of the online pool (drained by this deployment, not put back). */
  readonly outOfPool: boolean;
}

/** Every target's version as far as the deployment's steps and the agents' reports tell. Pure. */
export function serverVersions(s: DeploymentState): ServerVersion[] {
  return s.batches.flatMap((batch) =>
    batch.servers.map((serverId) => {
      const previous = s.targets[serverId]?.previousVersion ?? null;
      let state: ServerVersion['state'] = 'previous';
      let lastStepAt = Number.NEGATIVE_INFINITY;
      for (const step of s.steps) {
        if (step.servers[0] !== serverId || (step.kind !== 'deploy' && step.kind !== 'rollback')) continue;
        lastStepAt = Math.max(lastStepAt, step.finishedAt ?? step.issuedAt);
        if (step.status === 'succeeded') state = step.kind === 'deploy' ? 'new' : 'previous';
        // A reported deploy failure kept the old release (the agent restores it); anything else may
        // have switched, or stopped half-way.
        else if (!(step.kind === 'deploy' && step.status === 'failed')) state = 'unknown';
      }
      const report = s.reported?.[serverId];
      if (report && report.at >= lastStepAt) {
        const reported = report.currentVersion;
        state = reported === s.version ? 'new' : 'previous';
        return { serverId, state, version: reported, outOfPool: s.outOfService.includes(serverId) };
      }
      const version = state === 'new' ? s.version : state === 'previous' ? previous : null;
      return { serverId, state, version, outOfPool: s.outOfService.includes(serverId) };
    }),
  );
}

/** `web-1 2.0.0 (online), web-2 unknown (out of the pool)` — for a deployment's failure reason. */
export function describeServers(versions: readonly ServerVersion[]): string {
  return versions
    .map(
      (v) =>
        `${v.serverId} ${v.state === 'unknown' ? 'unknown version' : (v.version ?? 'previous version')} (${v.outOfPool ? 'out of the pool' : 'online'})`,
    )
    .join(', ');
}
