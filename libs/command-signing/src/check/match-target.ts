import type { CommandTarget } from '../command/command.schema';

export type AgentFacts = Readonly<Record<string, string>>;

/**
 * Whether an agent is addressed: named in `nodeIds` (if given) and holding every fact in
 * `facts` (if given) with exactly that value. A target with neither selects nobody; the
 * schema refuses such targets before this is ever asked.
 */
export function matchesTarget(target: CommandTarget, nodeId: string, facts: AgentFacts): boolean {
  if (target.nodeIds === undefined && target.facts === undefined) {
    return false;
  }
  if (target.nodeIds !== undefined && !target.nodeIds.includes(nodeId)) {
    return false;
  }
  if (target.facts !== undefined) {
    return Object.entries(target.facts).every(
      ([name, value]) => Object.prototype.hasOwnProperty.call(facts, name) && facts[name] === value,
    );
  }
  return true;
}

/** Says which part of the target the agent misses, for the refusal's detail. */
export function explainTargetMismatch(target: CommandTarget, nodeId: string, facts: AgentFacts): string {
  if (target.nodeIds !== undefined && !target.nodeIds.includes(nodeId)) {
    return `node "${nodeId}" is not among the ${target.nodeIds.length} targeted node id(s)`;
  }
  const mismatches = Object.entries(target.facts ?? {})
    .filter(([name, value]) => !Object.prototype.hasOwnProperty.call(facts, name) || facts[name] !== value)
    .map(([name, value]) =>
      Object.prototype.hasOwnProperty.call(facts, name)
        ? `fact ${name} is "${facts[name]}", target wants "${value}"`
        : `fact ${name} is missing, target wants "${value}"`,
    );
  return mismatches.length > 0 ? mismatches.join('; ') : 'target selects no agent';
}
