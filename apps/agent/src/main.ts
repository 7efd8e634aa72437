import { errorMessage } from '@conveyor/errors';
/**
 * The Conveyor agent: `node -r @swc-node/register apps/agent/src/main.ts` (or the built main.js).
 * Configured by environment (see README); refuses to start naming every wrong variable.
 */
import { createLogger } from '@conveyor/observability';
import { AgentConfigError, loadAgentConfig } from './config/agent-config';
import { startAgent } from './runtime/agent-runtime';

async function main(): Promise<void> {
  const logger = createLogger('agent');
  let config;
  try {
    config = loadAgentConfig(process.env);
  } catch (error) {
    if (error instanceof AgentConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const agent = await startAgent(config, logger.child({ nodeId: config.nodeId }));
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: the running step (if any) finishes first');
    agent.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: errorMessage(error) }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `agent failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
