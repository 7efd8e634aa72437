import { mkdir, rm } from 'node:fs/promises';
import type { MigrateCommandPayload, SignedCommand } from '@conveyor/contracts';
import { beginStep, failStep, succeedStep, type StepRecord } from '../journal/step-journal.rules';
import { downloadArtifact } from '../releases/artifact-download';
import { downloadOptions, extractLimits } from './artifact-fetch';
import { currentVersion } from '../releases/current-link';
import { unpackArtifact } from '../releases/release-unpacker';
import { runReleaseHook, type StepContext } from './step-context';
import { asStepFailure, StepFailure, type AgentStepFailurePhase } from './step-failure';
import { emitOutcome } from './step-outcome';

/**
 * Runs the artifact's `migrate` hook once, on the node the command designates: download and check
 * the artifact, unpack it into a scratch dir (never into releases/, never switching `current`),
 * run the hook with the command's timeout, clean up. The journal makes it run once per stepId.
 */
export async function runMigrateStep(
  context: StepContext,
  command: SignedCommand<MigrateCommandPayload>,
): Promise<StepRecord> {
  const { payload } = command;
  const { layout, journal } = context;
  const version = payload.artifact.version;
  let record = await journal.put(
    beginStep(
      {
        stepId: payload.stepId,
        commandId: command.commandId,
        deploymentId: payload.deploymentId,
        kind: 'migrate',
        version,
        previousVersion: await currentVersion(layout),
      },
      new Date(),
    ),
  );
  let phase: AgentStepFailurePhase = 'download';
  let downloaded: string | undefined;
  let workDir: string | undefined;
  try {
    const artifact = await downloadArtifact(downloadOptions(context, payload.artifact));
    downloaded = artifact.path;
    phase = 'unpack';
    await mkdir(layout.workDir, { recursive: true });
    const unpacked = await unpackArtifact(artifact.path, layout.workDir, version, extractLimits(context));
    workDir = unpacked.dir;
    phase = 'hook';
    const result = await runReleaseHook(
      context,
      unpacked.spec,
      'migrate',
      unpacked.dir,
      payload.timeoutSeconds,
    );
    if (result === undefined)
      throw new StepFailure('hook', `the artifact ${version} declares no migrate hook`, { hook: 'migrate' });
    record = await journal.put(succeedStep(record, new Date()));
  } catch (error) {
    const failure = asStepFailure(error, phase);
    record = await journal.put(
      failStep(
        record,
        {
          phase: failure.phase,
          reason: failure.message,
          hook: failure.details.hook,
          exitCode: failure.details.exitCode,
          outputTail: failure.details.outputTail,
        },
        new Date(),
      ),
    );
  } finally {
    if (downloaded !== undefined) await rm(downloaded, { force: true });
    if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
  }
  await emitOutcome(context, record, false);
  return record;
}
