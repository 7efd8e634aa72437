/** The environment an agent gives every hook (in addition to its own PATH etc.). */
import { z } from 'zod';
import { APP_HOOK_NAMES, releaseVersionSchema } from './app-spec.schema';

const absolutePath = (name: string) =>
  z
    .string()
    .refine(
      (value) => value.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value),
      `${name} must be an absolute path`,
    );

export const hookEnvSchema = z.object({
  /** Which hook runs: stop, before-install, after-install, start, validate (or migrate). */
  CONVEYOR_HOOK: z.enum(APP_HOOK_NAMES),
  /** The release being deployed, unpacked: <server>/releases/<version>. Also the hook's working directory. */
  CONVEYOR_RELEASE_DIR: absolutePath('CONVEYOR_RELEASE_DIR'),
  /** The `current` link: <server>/current. Points to the previous release before the switch, to this one after. */
  CONVEYOR_CURRENT_DIR: absolutePath('CONVEYOR_CURRENT_DIR'),
  /** Per-server state that outlives releases (pid file app.pid, log app.log): <server>/state. */
  CONVEYOR_STATE_DIR: absolutePath('CONVEYOR_STATE_DIR'),
  /** The TCP port the app must listen on (from the node's config; HAProxy points at it). */
  CONVEYOR_PORT: z
    .string()
    .regex(/^\d+$/, 'CONVEYOR_PORT must be a port number')
    .refine((port) => {
      const value = Number(port);
      return value >= 1 && value <= 65535;
    }, 'CONVEYOR_PORT must be 1..65535'),
  /** The version being deployed; validate checks /health reports it. */
  CONVEYOR_VERSION: releaseVersionSchema,
  /** The server's node id, e.g. web-1. */
  CONVEYOR_SERVER_ID: z.string().min(1, 'CONVEYOR_SERVER_ID must not be empty'),
});
export type HookEnv = z.infer<typeof hookEnvSchema>;
