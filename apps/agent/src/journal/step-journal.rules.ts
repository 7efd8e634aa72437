import type { AgentStepFailurePhase } from '../steps/step-failure';

/** The steps an agent journals: each is idempotent per stepId. */
export type StepKind = 'deploy' | 'rollback' | 'migrate';

export interface RecordedFailure {
  phase: AgentStepFailurePhase;
  reason: string;
  hook?: string;
  exitCode?: number | null;
  outputTail?: string;
}

/**
 * One step as journalled on disk (state/steps/<stepId>.json): `started` when it begins, then
 * `succeeded` or `failed`. A record still `started` when the agent starts again was interrupted.
 */
export interface StepRecord {
  stepId: string;
  commandId: string;
  deploymentId: string;
  kind: StepKind;
  version?: string;
  status: 'started' | 'succeeded' | 'failed';
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  /** The release serving before the step began (null: none). Restored if the step is interrupted. */
  previousVersion: string | null;
  /** Set just before the running release is stopped: from then on an interruption must restore it. */
  touchedRunningRelease: boolean;
  /** Set just before `current` is switched. */
  switched: boolean;
  failure?: RecordedFailure;
  /** A step that succeeded without changing anything (a rollback to the release already serving). */
  unchanged?: { detail: string };
}

export interface StepStart {
  stepId: string;
  commandId: string;
  deploymentId: string;
  kind: StepKind;
  version?: string;
  previousVersion: string | null;
}

export function beginStep(start: StepStart, now: Date): StepRecord {
  return {
    ...start,
    status: 'started',
    startedAt: now.toISOString(),
    touchedRunningRelease: false,
    switched: false,
  };
}

function assertStarted(record: StepRecord, transition: string): void {
  if (record.status !== 'started') {
    throw new Error(`step ${record.stepId} is already ${record.status}; cannot ${transition}`);
  }
}

export function markTouched(
  record: StepRecord,
  change: { touchedRunningRelease?: true; switched?: true },
): StepRecord {
  assertStarted(record, 'record progress');
  return { ...record, ...change };
}

function finished(record: StepRecord, now: Date): Pick<StepRecord, 'finishedAt' | 'durationMs'> {
  return {
    finishedAt: now.toISOString(),
    durationMs: Math.max(0, now.getTime() - Date.parse(record.startedAt)),
  };
}

export function succeedStep(record: StepRecord, now: Date, unchanged?: { detail: string }): StepRecord {
  assertStarted(record, 'succeed');
  return {
    ...record,
    ...finished(record, now),
    status: 'succeeded',
    ...(unchanged === undefined ? {} : { unchanged }),
  };
}

export function failStep(record: StepRecord, failure: RecordedFailure, now: Date): StepRecord {
  assertStarted(record, 'fail');
  return { ...record, ...finished(record, now), status: 'failed', failure };
}

/** A step found `started` by a fresh agent process: it was cut short and is reported failed, never done. */
export function interruptStep(record: StepRecord, now: Date): StepRecord {
  return failStep(
    record,
    {
      phase: 'interrupted',
      reason: `the agent stopped while the step was running (started ${record.startedAt}); it was not completed${
        record.touchedRunningRelease && record.previousVersion !== null
          ? `; release ${record.previousVersion} was restored`
          : ''
      }`,
    },
    now,
  );
}

/** What to do with a command for a step, given what the journal says about that step. */
export type ArrivalDecision =
  | { action: 'run' }
  /** Done before: answer with the recorded result, do nothing else. */
  | { action: 'report'; record: StepRecord }
  /** Running right now in this process (a redelivery after a channel reconnect): its result will be reported. */
  | { action: 'ignore'; why: string }
  /** Journalled as started, but nothing runs it: it was interrupted. */
  | { action: 'interrupted'; record: StepRecord };

export function decideArrival(record: StepRecord | undefined, runningNow: boolean): ArrivalDecision {
  if (record === undefined) return { action: 'run' };
  if (record.status !== 'started') return { action: 'report', record };
  if (runningNow) return { action: 'ignore', why: `step ${record.stepId} is running` };
  return { action: 'interrupted', record };
}

/**
 * The release that served on this node before `deploymentId` first deployed here: the
 * `previousVersion` of that deployment's earliest deploy step. Undefined when it never deployed here.
 */
export function releaseBeforeDeployment(
  records: readonly StepRecord[],
  deploymentId: string,
): string | null | undefined {
  const deploys = records
    .filter((record) => record.kind === 'deploy' && record.deploymentId === deploymentId)
    .sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt) || a.stepId.localeCompare(b.stepId));
  return deploys[0]?.previousVersion;
}

/** A journal entry as the agent reports it (agent.registered, agent.heartbeat, agent.discovery.replied). */
export interface JournalEntryReport {
  stepId: string;
  deploymentId: string;
  kind: StepKind;
  outcome: StepRecord['status'];
  version?: string;
  previousVersion: string | null;
  finishedAt?: string;
  unchanged?: boolean;
}

/** The `limit` most recent steps (by start, then finish), most recent first, as reported. */
export function recentSteps(records: readonly StepRecord[], limit: number): JournalEntryReport[] {
  const lastMove = (record: StepRecord) => Date.parse(record.finishedAt ?? record.startedAt);
  return [...records]
    .sort(
      (a, b) =>
        Date.parse(b.startedAt) - Date.parse(a.startedAt) ||
        lastMove(b) - lastMove(a) ||
        b.stepId.localeCompare(a.stepId),
    )
    .slice(0, Math.max(0, limit))
    .map((record) => ({
      stepId: record.stepId,
      deploymentId: record.deploymentId,
      kind: record.kind,
      outcome: record.status,
      ...(record.version === undefined ? {} : { version: record.version }),
      previousVersion: record.previousVersion,
      ...(record.finishedAt === undefined ? {} : { finishedAt: record.finishedAt }),
      ...(record.unchanged === undefined ? {} : { unchanged: true }),
    }));
}
