import { defineEvent } from '../define-event';
import { discoveryCommandPayload, signedCommandOfKind } from './signed-command';

export const agentDiscoveryRequestedEvent = defineEvent({
  name: 'agent.discovery.requested',
  version: 1,
  description: 'Signed command: every matching agent answers with its facts.',
  producer: 'orchestrator',
  schema: signedCommandOfKind('discovery', discoveryCommandPayload),
});
