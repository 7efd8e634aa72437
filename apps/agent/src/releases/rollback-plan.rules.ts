import { rollbackTarget, type ReleaseHistory } from './release-history.rules';

/** What the agent knows when a rollback command arrives. */
export interface RollbackSituation {
  /** Release directories on disk. */
  dirs: readonly string[];
  history: ReleaseHistory;
  /** The release `current` points at (null: none). */
  current: string | null;
  /** The command's `toVersion`, if it names one. */
  toVersion?: string;
  /**
   * The release that served before this deployment first deployed on this node (the
   * `previousVersion` of the deployment's earliest deploy step in the journal), if there was one.
   */
  beforeDeployment?: string | null;
}

export type RollbackPlan =
  /** Switch `current` to `target` (stop, switch, start, validate). */
  | { action: 'switch'; target: string }
  /** The release asked for already serves: nothing to change, the step succeeds. */
  | { action: 'already_current'; target: string; why: string }
  /** Nothing to return to. */
  | { action: 'refuse'; reason: string };

/**
 * Where a rollback goes, decided without I/O:
 * - `toVersion` named: that release — already serving is a success, not kept is a refusal;
 * - else, when this deployment deployed here, the release that served before it (which a restarted
 *   agent may already have restored: then nothing needs to change);
 * - else the kept release used most recently before the current one.
 */
export function planRollback(situation: RollbackSituation): RollbackPlan {
  const { dirs, history, current, toVersion, beforeDeployment } = situation;
  const currentText = current ?? 'none';
  if (toVersion !== undefined) {
    if (toVersion === current)
      return { action: 'already_current', target: toVersion, why: `release ${toVersion} already serves` };
    if (dirs.includes(toVersion)) return { action: 'switch', target: toVersion };
    return {
      action: 'refuse',
      reason: `release ${toVersion} is not kept on this node (current: ${currentText})`,
    };
  }
  if (typeof beforeDeployment === 'string') {
    if (beforeDeployment === current)
      return {
        action: 'already_current',
        target: beforeDeployment,
        why: `release ${beforeDeployment}, which served before this deployment, already serves`,
      };
    if (dirs.includes(beforeDeployment)) return { action: 'switch', target: beforeDeployment };
  }
  const target = rollbackTarget(dirs, history, current);
  if (target !== undefined) return { action: 'switch', target };
  return { action: 'refuse', reason: `no kept release to return to (current: ${currentText})` };
}
