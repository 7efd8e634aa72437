import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppSpec, DeployCommandPayload, SignedCommand } from '@conveyor/contracts';
import {
  beginStep,
  failStep,
  markTouched,
  succeedStep,
  type StepRecord,
} from '../journal/step-journal.rules';
import { downloadArtifact } from '../releases/artifact-download';
import { downloadOptions, extractLimits } from './artifact-fetch';
import { currentVersion, switchCurrent } from '../releases/current-link';
import {
  adoptRelease,
  forgetReleases,
  recordActivated,
  recordInstalled,
  releasesToPrune,
} from '../releases/release-history.rules';
import { placeRelease, unpackArtifact } from '../releases/release-unpacker';
import { releaseDirs, restoreRelease } from './release-restore';
import { runReleaseHook, type StepContext } from './step-context';
import { asStepFailure, type AgentStepFailurePhase } from './step-failure';
import { emitOutcome } from './step-outcome';

/**
 * One deploy step: download (streamed, sha256 checked) → unpack into releases/<version> → stop →
 * before-install → switch `current` → after-install → start → validate → prune old releases.
 * Any failure after the running release was stopped restores it. Journalled before every risky
 * move, so a crash is detected and repaired at the next start.
 */
export async function runDeployStep(
  context: StepContext,
  command: SignedCommand<DeployCommandPayload>,
): Promise<StepRecord> {
  const { payload } = command;
  const version = payload.artifact.version;
  const { layout, journal } = context;
  const previous = await currentVersion(layout);
  // The release serving now is this step's rollback target: known to the history (adopted if it
  // ran before Conveyor) so that no prune removes it.
  await context.history.update((h) => adoptRelease(h, previous, new Date()));
  let record = await journal.put(
    beginStep(
      {
        stepId: payload.stepId,
        commandId: command.commandId,
        deploymentId: payload.deploymentId,
        kind: 'deploy',
        version,
        previousVersion: previous,
      },
      new Date(),
    ),
  );
  const base = {
    commandId: command.commandId,
    deploymentId: payload.deploymentId,
    stepId: payload.stepId,
    nodeId: context.nodeId,
    version,
  };
  const subject = { subject: payload.deploymentId };
  const progress = (phase: string, detail: string) =>
    context.emit('agent.deploy.progressed', { ...base, phase, detail }, subject);
  await context.emit('agent.deploy.started', base, subject);

  const releaseDir = join(layout.releasesDir, version);
  let phase: AgentStepFailurePhase = 'download';
  let downloaded: string | undefined;
  let incoming: string | undefined;
  let placed = false;
  try {
    const artifact = await downloadArtifact(downloadOptions(context, payload.artifact));
    downloaded = artifact.path;
    await progress('download', `${artifact.bytes} bytes, sha256 verified`);
    phase = 'unpack';
    const unpacked = await unpackArtifact(artifact.path, layout.releasesDir, version, extractLimits(context));
    incoming = unpacked.dir;
    const spec: AppSpec = unpacked.spec;
    if (version !== previous) {
      await placeRelease(unpacked.dir, releaseDir);
      placed = true;
    }
    await progress('unpack', `unpacked into releases/${version}`);

    phase = 'hook';
    const hook = async (name: 'stop' | 'before-install' | 'after-install' | 'start' | 'validate') => {
      const result = await runReleaseHook(context, spec, name, placed ? releaseDir : unpacked.dir);
      if (result !== undefined) await progress(`hook:${name}`, `exit 0 in ${result.durationMs} ms`);
    };
    record = await journal.put(markTouched(record, { touchedRunningRelease: true }));
    await hook('stop');
    if (!placed) {
      // Redeploying the version that is current: its files are replaced only once it is stopped.
      await placeRelease(unpacked.dir, releaseDir);
      placed = true;
    }
    await hook('before-install');
    phase = 'switch';
    record = await journal.put(markTouched(record, { switched: true }));
    await switchCurrent(layout, version);
    await progress('switch', `current -> releases/${version}`);
    phase = 'hook';
    await hook('after-install');
    await hook('start');
    await hook('validate');

    const now = new Date();
    const history = await context.history.update((h) =>
      recordActivated(recordInstalled(h, version, artifact.sha256, now), version, now),
    );
    const prune = releasesToPrune(
      await releaseDirs(context),
      history,
      version,
      payload.keepReleases ?? context.keepReleases,
      [previous],
    );
    await Promise.all(
      prune.map((dir) => rm(join(layout.releasesDir, dir), { recursive: true, force: true })),
    );
    await context.history.update((h) => forgetReleases(h, prune));
    record = await journal.put(succeedStep(record, new Date()));
  } catch (error) {
    const failure = asStepFailure(error, phase);
    let reason = failure.message;
    if (record.touchedRunningRelease && previous !== null) {
      reason += `; ${await restoreRelease(context, previous)}`;
    }
    if (placed && version !== previous && (await context.history.read())[version] === undefined) {
      await rm(releaseDir, { recursive: true, force: true });
      if (previous === null) await rm(layout.currentLink, { force: true });
    }
    record = await journal.put(
      failStep(
        record,
        {
          phase: failure.phase,
          reason,
          hook: failure.details.hook,
          exitCode: failure.details.exitCode,
          outputTail: failure.details.outputTail,
        },
        new Date(),
      ),
    );
  } finally {
    if (downloaded !== undefined) await rm(downloaded, { force: true });
    if (incoming !== undefined && !placed) await rm(incoming, { recursive: true, force: true });
  }
  await emitOutcome(context, record, false);
  return record;
}
