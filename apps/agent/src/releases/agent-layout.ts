import { join } from 'node:path';

/** Where an agent keeps things under its base dir (the same layout tools/fleet's describeFleet makes). */
export interface AgentLayout {
  baseDir: string;
  /** releases/<version>: one unpacked release each. */
  releasesDir: string;
  /** The `current` link (symlink; a directory junction on Windows) to releases/<version>. */
  currentLink: string;
  /** Survives releases; hooks get it as CONVEYOR_STATE_DIR (app.pid, app.log live here). */
  stateDir: string;
  /** state/steps/<stepId>.json */
  stepsDir: string;
  /** state/nonces/nonces.log */
  noncesDir: string;
  /** state/releases.json */
  historyFile: string;
  /** state/downloads: partial downloads; emptied at start. */
  downloadsDir: string;
  /** state/work: unpacked migration artifacts; emptied at start. */
  workDir: string;
}

export function agentLayout(baseDir: string): AgentLayout {
  const stateDir = join(baseDir, 'state');
  return {
    baseDir,
    releasesDir: join(baseDir, 'releases'),
    currentLink: join(baseDir, 'current'),
    stateDir,
    stepsDir: join(stateDir, 'steps'),
    noncesDir: join(stateDir, 'nonces'),
    historyFile: join(stateDir, 'releases.json'),
    downloadsDir: join(stateDir, 'downloads'),
    workDir: join(stateDir, 'work'),
  };
}
