/**
 * Schema of `conveyor-app.yaml`, the app spec every Conveyor artifact carries at its root.
 *
 * The agent (apps/agent) reads it from every artifact it installs; tools/fleet builds artifacts with it.
 *
 * How an agent runs a hook: working directory = the release dir; environment = the agent's own
 * plus the variables of `hook-env.schema.ts`; on Linux `sh -c <linux>`, on Windows
 * `powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command <windows>`;
 * killed (process group) when `timeoutSeconds` passes; any exit code other than 0 fails the deploy.
 *
 * Order on a deploy (the artifact is already downloaded, checked and unpacked into
 * releases/<version>; the server is already drained): stop → before-install → switch `current`
 * → after-install → start → validate. The optional `migrate` hook runs only for an
 * `agent.migrate.requested` command, once, on the node designated for migrations.
 */
import { z } from 'zod';

/** The deploy hooks, in the order an agent runs them. */
export const HOOK_NAMES = ['stop', 'before-install', 'after-install', 'start', 'validate'] as const;
export type HookName = (typeof HOOK_NAMES)[number];

/** The database-migration hook: run on its own, never as part of a deploy. */
export const MIGRATE_HOOK_NAME = 'migrate';
/** Every hook an app spec may declare. */
export const APP_HOOK_NAMES = [...HOOK_NAMES, MIGRATE_HOOK_NAME] as const;
export type AppHookName = (typeof APP_HOOK_NAMES)[number];

/** A release version; it becomes a directory name (releases/<version>), so no slashes, no "..". */
export const releaseVersionSchema = z
  .string({ error: 'version must be a string' })
  .min(1, { error: 'version must not be empty', abort: true })
  .max(64, { error: 'version must be at most 64 characters', abort: true })
  .regex(/^[0-9A-Za-z][0-9A-Za-z._+-]*$/, {
    error: 'version must start with a letter or digit and contain only letters, digits, ".", "_", "+", "-"',
    abort: true,
  })
  .refine((version) => !version.includes('..'), 'version must not contain ".."');

export const MAX_HOOK_TIMEOUT_SECONDS = 3600;

export const hookSchema = z
  .strictObject({
    timeoutSeconds: z
      .number({ error: 'timeoutSeconds must be a number of seconds' })
      .int('timeoutSeconds must be a whole number of seconds')
      .min(1, 'timeoutSeconds must be at least 1')
      .max(MAX_HOOK_TIMEOUT_SECONDS, `timeoutSeconds must be at most ${MAX_HOOK_TIMEOUT_SECONDS}`),
    linux: z.string().trim().min(1, 'the linux command must not be empty').optional(),
    windows: z.string().trim().min(1, 'the windows command must not be empty').optional(),
  })
  .refine((hook) => hook.linux !== undefined || hook.windows !== undefined, {
    error: 'a hook needs a linux command, a windows command, or both',
  });
export type AppHook = z.infer<typeof hookSchema>;

export const appSpecSchema = z.strictObject({
  specVersion: z.literal(1, { error: 'specVersion must be 1' }),
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'name must be lowercase letters, digits and "-" (at most 63)'),
  version: releaseVersionSchema,
  hooks: z.strictObject(
    {
      stop: hookSchema,
      'before-install': hookSchema.optional(),
      'after-install': hookSchema.optional(),
      start: hookSchema,
      validate: hookSchema,
      migrate: hookSchema.optional(),
    },
    {
      error: (issue) => {
        if (issue.code === 'unrecognized_keys')
          return `unknown hook ${issue.keys.map((key) => `"${key}"`).join(', ')}; hooks are ${APP_HOOK_NAMES.join(', ')}`;
        if (issue.code === 'invalid_type')
          return issue.input === undefined
            ? 'hooks is required'
            : 'hooks must be a mapping of hook name to hook';
        return undefined;
      },
    },
  ),
});
export type AppSpec = z.infer<typeof appSpecSchema>;

/** File name of the app spec at the root of every artifact. */
export const APP_SPEC_FILE_NAME = 'conveyor-app.yaml';
