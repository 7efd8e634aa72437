import { defineEvent } from '../define-event';
import { migrateCommandPayload, signedCommandOfKind } from './signed-command';

export const agentMigrateRequestedEvent = defineEvent({
  name: 'agent.migrate.requested',
  version: 1,
  description: 'Signed command: run the database-migration hook once on the designated node.',
  producer: 'orchestrator',
  schema: signedCommandOfKind('migrate', migrateCommandPayload),
});
