import { join } from 'node:path';

/** Directory holding the sample app's sources (plain JavaScript and hook scripts, no build step). */
export const SAMPLE_APP_DIR = __dirname;

/** Absolute path of the sample app's entry point, for tests that run it without an artifact. */
export const SAMPLE_APP_SERVER_JS = join(SAMPLE_APP_DIR, 'server.js');

/** Files copied into every artifact, relative to SAMPLE_APP_DIR (paths inside the artifact are the same). */
export const SAMPLE_APP_FILES = [
  'server.js',
  'healthcheck.js',
  'hooks/stop.sh',
  'hooks/before-install.sh',
  'hooks/after-install.sh',
  'hooks/start.sh',
  'hooks/validate.sh',
  'hooks/stop.ps1',
  'hooks/before-install.ps1',
  'hooks/after-install.ps1',
  'hooks/start.ps1',
  'hooks/validate.ps1',
] as const;
