import { recordActivated, recordInstalled, type ReleaseHistory } from './release-history.rules';
import { planRollback } from './rollback-plan.rules';

const at = (minute: number) => new Date(Date.UTC(2025, 2, 1, 12, minute));
function deployed(...versions: string[]): ReleaseHistory {
  return versions.reduce<ReleaseHistory>(
    (history, version, index) =>
      recordActivated(recordInstalled(history, version, 'ab'.repeat(32), at(index)), version, at(index)),
    {},
  );
}
const history = deployed('0.9.0', '1.0.0');

describe('planRollback', () => {
  it('a rollback to the release already serving succeeds without change (toVersion named)', () => {
    expect(planRollback({ dirs: ['0.9.0', '1.0.0'], history, current: '0.9.0', toVersion: '0.9.0' })).toEqual(
      {
        action: 'already_current',
        target: '0.9.0',
        why: 'release 0.9.0 already serves',
      },
    );
  });

  it('a restarted agent that already restored the release before this deployment: nothing to change', () => {
    // The deploy of 1.0.0 was interrupted; recovery restored 0.9.0 and removed 1.0.0.
    expect(
      planRollback({
        dirs: ['0.9.0'],
        history: deployed('0.9.0'),
        current: '0.9.0',
        beforeDeployment: '0.9.0',
      }),
    ).toMatchObject({ action: 'already_current', target: '0.9.0' });
  });

  it('returns to the release that served before this deployment, not merely the last one used', () => {
    const three = deployed('0.9.0', '1.0.0', '1.1.0');
    expect(
      planRollback({
        dirs: ['0.9.0', '1.0.0', '1.1.0'],
        history: three,
        current: '1.1.0',
        beforeDeployment: '0.9.0',
      }),
    ).toEqual({ action: 'switch', target: '0.9.0' });
    expect(planRollback({ dirs: ['0.9.0', '1.0.0', '1.1.0'], history: three, current: '1.1.0' })).toEqual({
      action: 'switch',
      target: '1.0.0',
    });
  });

  it('switches to a kept toVersion', () => {
    expect(planRollback({ dirs: ['0.9.0', '1.0.0'], history, current: '1.0.0', toVersion: '0.9.0' })).toEqual(
      {
        action: 'switch',
        target: '0.9.0',
      },
    );
  });

  it('refuses a toVersion that is not kept, naming it and the current release', () => {
    expect(planRollback({ dirs: ['1.0.0'], history, current: '1.0.0', toVersion: '0.9.0' })).toEqual({
      action: 'refuse',
      reason: 'release 0.9.0 is not kept on this node (current: 1.0.0)',
    });
  });

  it('falls back to the last release used when the deployment found nothing before it or its release is gone', () => {
    expect(planRollback({ dirs: ['1.0.0'], history, current: '1.0.0', beforeDeployment: null })).toEqual({
      action: 'refuse',
      reason: 'no kept release to return to (current: 1.0.0)',
    });
    expect(
      planRollback({
        dirs: ['0.9.0', '1.0.0', '2.0.0'],
        history: deployed('0.9.0', '1.0.0', '2.0.0'),
        current: '2.0.0',
        beforeDeployment: '0.5.0',
      }),
    ).toEqual({ action: 'switch', target: '1.0.0' });
  });
});
