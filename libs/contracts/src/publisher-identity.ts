import type { EventContract } from './define-event';
import { agentBrokerUser, NODE_ID_PATTERN, serviceBrokerUser } from './producer';

export type ExpectedPublisher = { ok: true; user: string } | { ok: false; reason: string };

/**
 * The one broker user that may publish this event: its producer service's user, or for an agent's
 * event the user of the node its `data.nodeId` names (`conveyor-agent-<nodeId>`). Pure.
 */
export function expectedPublisher(contract: EventContract, data: unknown): ExpectedPublisher {
  if (contract.producer !== 'agent') return { ok: true, user: serviceBrokerUser(contract.producer) };
  const nodeId =
    typeof data === 'object' && data !== null ? (data as { nodeId?: unknown }).nodeId : undefined;
  if (typeof nodeId !== 'string' || !NODE_ID_PATTERN.test(nodeId)) {
    return { ok: false, reason: `${contract.type} is an agent's event but names no valid data.nodeId` };
  }
  return { ok: true, user: agentBrokerUser(nodeId) };
}
