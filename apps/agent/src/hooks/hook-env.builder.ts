import { join } from 'node:path';
import { hookEnvSchema, type AppHookName, type HookEnv } from '@conveyor/contracts';
import type { AgentLayout } from '../releases/agent-layout';

/** The CONVEYOR_* environment of a hook (the contract in @conveyor/contracts' hook-env schema). */
export function hookEnv(
  layout: AgentLayout,
  identity: { nodeId: string; serverPort: number },
  hook: AppHookName,
  version: string,
  releaseDir: string = join(layout.releasesDir, version),
): HookEnv {
  return hookEnvSchema.parse({
    CONVEYOR_HOOK: hook,
    CONVEYOR_RELEASE_DIR: releaseDir,
    CONVEYOR_CURRENT_DIR: layout.currentLink,
    CONVEYOR_STATE_DIR: layout.stateDir,
    CONVEYOR_PORT: String(identity.serverPort),
    CONVEYOR_VERSION: version,
    CONVEYOR_SERVER_ID: identity.nodeId,
  });
}
