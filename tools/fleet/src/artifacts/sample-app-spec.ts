import { type AppHook, type AppSpec, type HookName } from '@conveyor/contracts';

export const SAMPLE_APP_NAME = 'sample-app';

/** Per-hook timeouts of the sample app. validate's probe gives up 5 s before its hook is killed. */
const TIMEOUT_SECONDS: Record<HookName, number> = {
  stop: 15,
  'before-install': 10,
  'after-install': 10,
  start: 10,
  validate: 25,
};

function hookCommands(hook: HookName): AppHook {
  return {
    timeoutSeconds: TIMEOUT_SECONDS[hook],
    linux: `sh "$CONVEYOR_RELEASE_DIR/hooks/${hook}.sh"`,
    windows: `& (Join-Path $env:CONVEYOR_RELEASE_DIR 'hooks\\${hook}.ps1')`,
  };
}

/** The app spec (conveyor-app.yaml) of the sample app at a given version. */
export function sampleAppSpec(version: string): AppSpec {
  return {
    specVersion: 1,
    name: SAMPLE_APP_NAME,
    version,
    hooks: {
      stop: hookCommands('stop'),
      'before-install': hookCommands('before-install'),
      'after-install': hookCommands('after-install'),
      start: hookCommands('start'),
      validate: hookCommands('validate'),
    },
  };
}
