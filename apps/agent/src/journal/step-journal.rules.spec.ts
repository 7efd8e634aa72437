import {
  beginStep,
  decideArrival,
  failStep,
  interruptStep,
  markTouched,
  recentSteps,
  releaseBeforeDeployment,
  succeedStep,
  type StepRecord,
} from './step-journal.rules';

const t0 = new Date('2025-03-01T12:00:00.000Z');
const later = (ms: number) => new Date(t0.getTime() + ms);
const started = (): StepRecord =>
  beginStep(
    {
      stepId: 'dep-1/web-1',
      commandId: 'c1',
      deploymentId: 'd1',
      kind: 'deploy',
      version: '2.0.0',
      previousVersion: '1.0.0',
    },
    t0,
  );

describe('step journal transitions', () => {
  it('a step starts untouched, then records that it stopped the running release and switched', () => {
    const record = started();
    expect(record).toMatchObject({
      status: 'started',
      touchedRunningRelease: false,
      switched: false,
      startedAt: t0.toISOString(),
    });
    expect(
      markTouched(markTouched(record, { touchedRunningRelease: true }), { switched: true }),
    ).toMatchObject({ touchedRunningRelease: true, switched: true });
  });

  it('started → succeeded, with its duration', () => {
    expect(succeedStep(started(), later(1500))).toMatchObject({
      status: 'succeeded',
      durationMs: 1500,
      finishedAt: later(1500).toISOString(),
    });
  });

  it('started → failed, with the failure', () => {
    const failed = failStep(
      started(),
      { phase: 'hook', hook: 'validate', exitCode: 3, reason: 'validate failed' },
      later(10),
    );
    expect(failed).toMatchObject({
      status: 'failed',
      failure: { phase: 'hook', hook: 'validate', exitCode: 3 },
    });
  });

  it('a finished step cannot finish again or record progress', () => {
    const done = succeedStep(started(), later(1));
    expect(() => failStep(done, { phase: 'hook', reason: 'x' }, later(2))).toThrow('already succeeded');
    expect(() => succeedStep(done, later(2))).toThrow('already succeeded');
    expect(() => markTouched(done, { switched: true })).toThrow('already succeeded');
  });

  it('an interrupted step is failed, never done, and says whether the previous release was restored', () => {
    expect(interruptStep(started(), later(5))).toMatchObject({
      status: 'failed',
      failure: { phase: 'interrupted' },
    });
    expect(interruptStep(started(), later(5)).failure!.reason).not.toContain('restored');
    const touched = markTouched(started(), { touchedRunningRelease: true });
    expect(interruptStep(touched, later(5)).failure!.reason).toContain('release 1.0.0 was restored');
  });
});

describe('what a command for a step gets', () => {
  it('a step never seen runs', () => {
    expect(decideArrival(undefined, false)).toEqual({ action: 'run' });
  });

  it('a step already done answers with its recorded result, succeeded or failed', () => {
    const done = succeedStep(started(), later(1));
    expect(decideArrival(done, false)).toEqual({ action: 'report', record: done });
    const failed = failStep(started(), { phase: 'download', reason: 'x' }, later(1));
    expect(decideArrival(failed, false)).toEqual({ action: 'report', record: failed });
  });

  it('a step running in this process is not run again', () => {
    expect(decideArrival(started(), true)).toMatchObject({ action: 'ignore' });
  });

  it('a step journalled as started that nothing runs was interrupted', () => {
    expect(decideArrival(started(), false)).toMatchObject({ action: 'interrupted' });
  });
});

const step = (
  stepId: string,
  deploymentId: string,
  kind: StepRecord['kind'],
  startMs: number,
  previousVersion: string | null,
  version?: string,
): StepRecord =>
  beginStep(
    { stepId, commandId: `c-${stepId}`, deploymentId, kind, version, previousVersion },
    later(startMs),
  );

describe('releaseBeforeDeployment', () => {
  it("is the previousVersion of the deployment's earliest deploy step on this node", () => {
    const records = [
      step('d1/deploy-retry', 'd1', 'deploy', 5000, '0.9.0', '1.0.0'),
      step('d1/deploy', 'd1', 'deploy', 1000, '0.9.0', '1.0.0'),
      step('d1/rollback', 'd1', 'rollback', 9000, '1.0.0', '0.9.0'),
      step('d0/deploy', 'd0', 'deploy', 0, null, '0.9.0'),
    ];
    expect(releaseBeforeDeployment(records, 'd1')).toBe('0.9.0');
    expect(releaseBeforeDeployment(records, 'd0')).toBeNull();
    expect(releaseBeforeDeployment(records, 'elsewhere')).toBeUndefined();
  });
});

describe('recentSteps', () => {
  it('reports the most recent steps first, with their outcome, up to the limit', () => {
    const done = succeedStep(step('s1', 'd1', 'deploy', 0, '0.9.0', '1.0.0'), later(3000));
    const failed = interruptStep(step('s2', 'd1', 'deploy', 4000, '0.9.0', '2.0.0'), later(8000));
    const unchanged = succeedStep(step('s3', 'd1', 'rollback', 9000, '0.9.0', '0.9.0'), later(9100), {
      detail: 'already serves',
    });
    expect(recentSteps([done, failed, unchanged], 2)).toEqual([
      {
        stepId: 's3',
        deploymentId: 'd1',
        kind: 'rollback',
        outcome: 'succeeded',
        version: '0.9.0',
        previousVersion: '0.9.0',
        finishedAt: later(9100).toISOString(),
        unchanged: true,
      },
      {
        stepId: 's2',
        deploymentId: 'd1',
        kind: 'deploy',
        outcome: 'failed',
        version: '2.0.0',
        previousVersion: '0.9.0',
        finishedAt: later(8000).toISOString(),
      },
    ]);
    expect(recentSteps([done], 0)).toEqual([]);
  });
});
