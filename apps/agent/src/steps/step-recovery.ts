import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { interruptStep, type StepRecord } from '../journal/step-journal.rules';
import { currentVersion } from '../releases/current-link';
import { releaseDirs, removeLeftovers, restoreRelease } from './release-restore';
import type { StepContext } from './step-context';
import { emitOutcome } from './step-outcome';

/**
 * At start, before taking commands: every step journalled as `started` was cut short by a crash or
 * a kill. Each is repaired (the release that served before is restored if the step had stopped
 * it), recorded as failed (`interrupted`) and reported — never silently done, never silently redone.
 */
export async function recoverInterruptedSteps(context: StepContext): Promise<StepRecord[]> {
  const unfinished = await context.journal.unfinished();
  const recovered: StepRecord[] = [];
  for (const record of unfinished) {
    if (
      record.touchedRunningRelease &&
      record.previousVersion !== null &&
      (await releaseDirs(context)).includes(record.previousVersion)
    ) {
      await restoreRelease(context, record.previousVersion);
    }
    const history = await context.history.read();
    const current = await currentVersion(context.layout);
    if (
      record.kind === 'deploy' &&
      record.version !== undefined &&
      record.version !== current &&
      history[record.version] === undefined
    ) {
      await rm(join(context.layout.releasesDir, record.version), { recursive: true, force: true });
    }
    const failed = await context.journal.put(interruptStep(record, new Date()));
    await emitOutcome(context, failed, false);
    recovered.push(failed);
  }
  await removeLeftovers(context);
  return recovered;
}
