import { targetSchema } from '@conveyor/contracts';
import { matchesTarget } from '@conveyor/command-signing';

/**
 * Every command reaches every agent's queue (routing is by event type); each agent filters on the
 * target. So an agent speaks up about a refused command only when the command claims to be for it:
 * it names this node id, or (naming no ids) selects it by facts — or when the target cannot even be
 * read. A command for other nodes is dropped in silence; otherwise one bad command would draw a
 * refusal from every agent of the fleet.
 *
 * Consequence for `not_for_me`: it is reported when a command names this node but requires facts
 * it does not have (the orchestrator's inventory disagrees with the agent).
 */
export function claimsToAddress(
  claimed: unknown,
  nodeId: string,
  facts: Readonly<Record<string, string>>,
): boolean {
  const target = targetSchema.safeParse((claimed as { target?: unknown } | null | undefined)?.target);
  if (!target.success) return true;
  if (target.data.nodeIds !== undefined) return target.data.nodeIds.includes(nodeId);
  return matchesTarget(target.data, nodeId, facts);
}

/** Whether an invalid command message was unsigned or otherwise malformed. */
export function invalidCommandReason(data: unknown): 'unsigned' | 'malformed' {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'malformed';
  const signature = (data as { signature?: unknown }).signature;
  return signature === undefined || signature === null || signature === '' ? 'unsigned' : 'malformed';
}

/** The command id of a refused command, when it has a readable one (for the refusal event). */
export function claimedCommandId(data: unknown): string | undefined {
  const id = (data as { commandId?: unknown } | null | undefined)?.commandId;
  return typeof id === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)
    ? id
    : undefined;
}
