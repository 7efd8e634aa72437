import { createRunBody, reportStageBody } from './run.schemas';

describe('dates in the reports Jenkins sends', () => {
  it('refuses a year the database cannot hold (year 0, past 9999 UTC), naming the field', () => {
    const run = createRunBody.safeParse({
      service: 'shop',
      version: '1.0.0',
      commit: 'abcdef1',
      branch: 'main',
      committedAt: '0000-01-01T00:00:00Z',
    });
    expect(run.success).toBe(false);
    expect(run.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      [
        'committedAt',
        'must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC), got "0000-01-01T00:00:00Z"',
      ],
    ]);
    const stage = reportStageBody.safeParse({
      name: 'build',
      status: 'succeeded',
      finishedAt: '9999-12-31T23:30:00-01:00',
    });
    expect(stage.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['finishedAt']);
    expect(
      reportStageBody.safeParse({ name: 'build', status: 'running', startedAt: '2026-01-01T00:00:00Z' })
        .success,
    ).toBe(true);
  });
});
