import { join } from 'node:path';
import type { RollbackCommandPayload, SignedCommand } from '@conveyor/contracts';
import {
  beginStep,
  failStep,
  markTouched,
  releaseBeforeDeployment,
  succeedStep,
  type StepRecord,
} from '../journal/step-journal.rules';
import { currentVersion, switchCurrent } from '../releases/current-link';
import { recordActivated } from '../releases/release-history.rules';
import { planRollback } from '../releases/rollback-plan.rules';
import { readAppSpec } from '../releases/release-unpacker';
import { releaseDirs, restoreRelease } from './release-restore';
import { runReleaseHook, type StepContext } from './step-context';
import { asStepFailure, StepFailure, type AgentStepFailurePhase } from './step-failure';
import { emitOutcome } from './step-outcome';

/**
 * Switches back to a kept release without downloading anything: stop the current release, point
 * `current` at the previous kept one (or `toVersion`), run its start and validate hooks.
 */
export async function runRollbackStep(
  context: StepContext,
  command: SignedCommand<RollbackCommandPayload>,
): Promise<StepRecord> {
  const { payload } = command;
  const { layout, journal } = context;
  const current = await currentVersion(layout);
  const plan = planRollback({
    dirs: await releaseDirs(context),
    history: await context.history.read(),
    current,
    toVersion: payload.toVersion,
    beforeDeployment: releaseBeforeDeployment(await journal.all(), payload.deploymentId),
  });
  const target = plan.action === 'refuse' ? undefined : plan.target;
  let record = await journal.put(
    beginStep(
      {
        stepId: payload.stepId,
        commandId: command.commandId,
        deploymentId: payload.deploymentId,
        kind: 'rollback',
        version: target ?? payload.toVersion,
        previousVersion: current,
      },
      new Date(),
    ),
  );
  let phase: AgentStepFailurePhase = 'no_previous_release';
  try {
    if (plan.action === 'refuse') throw new StepFailure('no_previous_release', plan.reason);
    if (plan.action === 'already_current') {
      // e.g. a restarted agent already restored it: the rollback's goal holds. Its validate hook
      // confirms it serves; only if it does not is it restarted (stop, start, validate).
      const targetDir = join(layout.releasesDir, plan.target);
      const targetSpec = await readAppSpec(targetDir);
      phase = 'hook';
      const serving = await runReleaseHook(context, targetSpec, 'validate', targetDir).then(
        () => true,
        () => false,
      );
      if (!serving) {
        record = await journal.put(markTouched(record, { touchedRunningRelease: true }));
        await runReleaseHook(context, targetSpec, 'stop', targetDir);
        await runReleaseHook(context, targetSpec, 'start', targetDir);
        await runReleaseHook(context, targetSpec, 'validate', targetDir);
        record = await journal.put(succeedStep(record, new Date()));
        await emitOutcome(context, record, false);
        return record;
      }
      record = await journal.put(
        succeedStep(record, new Date(), { detail: `${plan.why}; nothing needed to change` }),
      );
      await emitOutcome(context, record, false);
      return record;
    }
    const target = plan.target;
    const targetDir = join(layout.releasesDir, target);
    const targetSpec = await readAppSpec(targetDir);
    phase = 'hook';
    record = await journal.put(markTouched(record, { touchedRunningRelease: true }));
    if (current !== null) {
      const currentDir = join(layout.releasesDir, current);
      await runReleaseHook(context, await readAppSpec(currentDir), 'stop', currentDir);
    }
    phase = 'switch';
    record = await journal.put(markTouched(record, { switched: true }));
    await switchCurrent(layout, target);
    phase = 'hook';
    await runReleaseHook(context, targetSpec, 'start', targetDir);
    await runReleaseHook(context, targetSpec, 'validate', targetDir);
    await context.history.update((history) => recordActivated(history, target, new Date()));
    record = await journal.put(succeedStep(record, new Date()));
  } catch (error) {
    const failure = asStepFailure(error, phase);
    let reason = failure.message;
    if (record.touchedRunningRelease && current !== null)
      reason += `; ${await restoreRelease(context, current)}`;
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
  }
  await emitOutcome(context, record, false);
  return record;
}
