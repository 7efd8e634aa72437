import { environmentOrder, type EnvironmentSpec, type ServiceManifest } from '@conveyor/contracts';

/**
 * How a new manifest weakens the approval policy of the current one, in words; empty when it does
 * not. Pure. Relaxing is: fewer required approvals, separation of duties turned off, approvals that
 * stay valid longer, an environment removed, environments reordered, or an environment that now
 * shares a pool or a server with another environment that needs more approvals, or selects agents
 * by facts that also match that one's (a back door to the same machines). Adding an environment or tightening a rule is not relaxing.
 */
export function findPolicyRelaxations(previous: ServiceManifest, next: ServiceManifest): string[] {
  const relaxed: string[] = [];
  const before = environmentOrder(previous);
  const after = environmentOrder(next);
  for (const name of before) {
    const old = previous.environments[name]?.approvals;
    const now = next.environments[name]?.approvals;
    if (!old) continue;
    if (!now) {
      relaxed.push(`removed environment ${name}`);
      continue;
    }
    if (now.required < old.required)
      relaxed.push(`lowered ${name} approvals.required from ${old.required} to ${now.required}`);
    if (old.separationOfDuties && !now.separationOfDuties)
      relaxed.push(`turned separation of duties off in ${name}`);
    if (now.expiresAfterHours > old.expiresAfterHours)
      relaxed.push(
        `raised ${name} approvals.expiresAfterHours from ${old.expiresAfterHours} to ${now.expiresAfterHours}`,
      );
  }
  const kept = before.filter((name) => after.includes(name));
  const keptAfter = after.filter((name) => before.includes(name));
  if (kept.join('\u0000') !== keptAfter.join('\u0000'))
    relaxed.push(`reordered environments from ${before.join(' → ')} to ${after.join(' → ')}`);
  const oldShared = new Set(sharedTargets(previous).map((s) => s.key));
  for (const shared of sharedTargets(next)) {
    if (!oldShared.has(shared.key)) relaxed.push(shared.description);
  }
  return relaxed;
}

interface SharedTarget {
  key: string;
  description: string;
}

/** Pairs of environments sharing a pool or a server where one needs more approvals than the other. */
function sharedTargets(manifest: ServiceManifest): SharedTarget[] {
  const entries = Object.entries(manifest.environments);
  const found: SharedTarget[] = [];
  for (const [weakName, weak] of entries) {
    for (const [strongName, strong] of entries) {
      if (weakName === strongName || !stricter(strong, weak)) continue;
      if (weak.pool === strong.pool)
        found.push({
          key: `${weakName}|${strongName}|pool:${weak.pool}`,
          description: `${weakName} now uses pool ${weak.pool} of ${strongName}, which needs ${strong.approvals.required} approval(s)`,
        });
      const weakFacts = weak.select?.facts;
      const strongFacts = strong.select?.facts;
      if (
        weakFacts &&
        strongFacts &&
        (weak.servers ?? []).length === 0 &&
        Object.entries(weakFacts).every(([key, value]) => strongFacts[key] === value)
      )
        found.push({
          key: `${weakName}|${strongName}|facts:${JSON.stringify(weakFacts)}`,
          description: `${weakName} now selects agents by facts that also match ${strongName}'s, which needs ${strong.approvals.required} approval(s)`,
        });
      const strongServers = new Set((strong.servers ?? []).map((s) => s.id));
      for (const server of weak.servers ?? []) {
        if (strongServers.has(server.id))
          found.push({
            key: `${weakName}|${strongName}|server:${server.id}`,
            description: `${weakName} now targets server ${server.id} of ${strongName}, which needs ${strong.approvals.required} approval(s)`,
          });
      }
    }
  }
  return found;
}

function stricter(a: EnvironmentSpec, b: EnvironmentSpec): boolean {
  return (
    a.approvals.required > b.approvals.required ||
    (a.approvals.separationOfDuties && !b.approvals.separationOfDuties && a.approvals.required > 0)
  );
}
