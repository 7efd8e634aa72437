/**
 * @conveyor/fleet — building blocks of the local test fleet: the sample app, its artifacts,
 * an artifact server with fault injection, and local "servers" that can run a release without an agent.
 * A testing tool (type:testing): production code must not import it.
 */
export { SAMPLE_APP_DIR, SAMPLE_APP_FILES, SAMPLE_APP_SERVER_JS } from './sample-app/sample-app.files';

/** The app-spec and hook-env schemas live in @conveyor/contracts; re-exported for existing callers. */
export {
  APP_SPEC_FILE_NAME,
  HOOK_NAMES,
  MAX_HOOK_TIMEOUT_SECONDS,
  appSpecSchema,
  hookSchema,
  hookEnvSchema,
  releaseVersionSchema,
  type AppHook,
  type AppSpec,
  type HookName,
  type HookEnv,
} from '@conveyor/contracts';
export { parseAppSpec } from './artifacts/app-spec.parser';
export { AppSpecError, ArchiveError, ArtifactBuildError } from './artifacts/artifact.errors';
export { ARCHIVE_FORMATS, archiveFormatOf, type ArchiveFormat } from './artifacts/archive.format';
export { extractArchive, listArchiveEntries, type ArchiveListing } from './artifacts/archive.reader';
export {
  BROKEN_MARKER_FILE,
  buildArtifact,
  type BuildArtifactOptions,
  type BuiltArtifact,
} from './artifacts/artifact.builder';
export { SAMPLE_APP_NAME, sampleAppSpec } from './artifacts/sample-app-spec';

export {
  startArtifactServer,
  type ArtifactServer,
  type ArtifactServerOptions,
  type ServedRequest,
} from './artifact-server/artifact.server';
export type { ArtifactFault } from './artifact-server/artifact-fault';

export { describeFleet, releaseDirOf, type FleetServer } from './fleet/fleet.layout';
export { findFreePort } from './fleet/free-port';
export { HookFailedError, ReleaseError } from './fleet/fleet.errors';
export { runLinuxHook, type HookRun } from './fleet/hook.runner';
export {
  startRelease,
  stopAll,
  stopRelease,
  type StartReleaseOptions,
  type StartedRelease,
} from './fleet/release.launcher';
export { switchCurrent, unpackRelease, type InstalledRelease } from './fleet/release.installer';

export {
  startFleet,
  agentEnvironment,
  type StartFleetOptions,
  type RunningFleet,
} from './agents/agent-fleet.launcher';
export { AgentProcess, AGENT_MAIN, REPO_ROOT } from './agents/agent.process';
