import type { EventContract } from './define-event';
import {
  agentBrokerUser,
  NODE_ID_PATTERN,
  SERVICE_PRODUCERS,
  serviceBrokerUser,
  type Participant,
} from './producer';

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

/**
 * The producer a broker user belongs to (`conveyor-orchestrator` → `orchestrator`,
 * `conveyor-agent-web-1` → `agent:web-1`), or undefined for any other user (guest, an operator).
 * For events this build does not know (no contract names their producer): the audit records them
 * only when a known producer published them.
 */
export function participantOfBrokerUser(user: string): Participant | undefined {
  for (const service of SERVICE_PRODUCERS) if (user === serviceBrokerUser(service)) return service;
  const agentPrefix = 'conveyor-agent-';
  if (user.startsWith(agentPrefix)) {
    const nodeId = user.slice(agentPrefix.length);
    if (NODE_ID_PATTERN.test(nodeId)) return `agent:${nodeId}`;
  }
  return undefined;
}
