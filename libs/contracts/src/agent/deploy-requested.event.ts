import { defineEvent } from '../define-event';
import { deployCommandPayload, signedCommandOfKind } from './signed-command';

export const agentDeployRequestedEvent = defineEvent({
  name: 'agent.deploy.requested',
  version: 1,
  description: 'Signed command: deploy an artifact on the targeted agents.',
  producer: 'orchestrator',
  schema: signedCommandOfKind('deploy', deployCommandPayload),
});
