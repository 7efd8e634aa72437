import { errorMessage } from '@conveyor/errors';
import { createEnvelope, type ConfirmedPublisher } from '@conveyor/messaging';
import type { Logger } from '@conveyor/observability';
import type { EmitEvent } from '../steps/step-context';

/**
 * Builds and publishes an agent's events (source `agent/<nodeId>`, actor `agent:<nodeId>`), with
 * the correlation of the command being handled. A publish that fails (broker away, nobody bound)
 * is logged, not thrown: the step's outcome is in the journal and is reported again on request.
 */
export function eventEmitter(publisher: ConfirmedPublisher, nodeId: string, logger: Logger): EmitEvent {
  return async (type, data, options = {}) => {
    const envelope = createEnvelope(`agent/${nodeId}`, type, data, {
      subject: options.subject ?? null,
      actor: `agent:${nodeId}`,
    });
    try {
      await publisher.publish({ id: envelope.id, type, body: JSON.stringify(envelope) });
    } catch (error) {
      logger.warn({ type, err: errorMessage(error) }, 'event not published');
    }
  };
}
