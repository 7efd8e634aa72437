import {
  adoptRelease,
  forgetReleases,
  recordActivated,
  recordInstalled,
  releasesToPrune,
  rollbackTarget,
  type ReleaseHistory,
} from './release-history.rules';

const at = (minute: number) => new Date(Date.UTC(2025, 2, 1, 12, minute));

/** Installs and activates versions one after the other, a minute apart. */
function deployed(...versions: string[]): ReleaseHistory {
  return versions.reduce<ReleaseHistory>(
    (history, version, index) =>
      recordActivated(recordInstalled(history, version, 'ab'.repeat(32), at(index)), version, at(index)),
    {},
  );
}

describe('releasesToPrune', () => {
  it('keeps the current release and the most recently used others, up to keep', () => {
    const history = deployed('1.0.0', '1.1.0', '1.2.0', '2.0.0');
    expect(releasesToPrune(['1.0.0', '1.1.0', '1.2.0', '2.0.0'], history, '2.0.0', 3)).toEqual(['1.0.0']);
    expect(releasesToPrune(['1.0.0', '1.1.0', '1.2.0', '2.0.0'], history, '2.0.0', 2)).toEqual([
      '1.0.0',
      '1.1.0',
    ]);
  });

  it('orders by last use, not by version: a release rolled back to counts as recent', () => {
    const history = recordActivated(deployed('1.0.0', '2.0.0', '3.0.0'), '1.0.0', at(10));
    expect(releasesToPrune(['1.0.0', '2.0.0', '3.0.0'], history, '3.0.0', 2)).toEqual(['2.0.0']);
  });

  it('never prunes the current release, even when it is unknown to the history', () => {
    expect(releasesToPrune(['0.9.0', '1.0.0'], deployed('1.0.0'), '0.9.0', 1)).toEqual(['1.0.0']);
  });

  it('removes directories the history does not know (leftovers)', () => {
    expect(releasesToPrune(['1.0.0', 'stray'], deployed('1.0.0'), '1.0.0', 3)).toEqual(['stray']);
  });

  it('prunes nothing while there are fewer releases than keep', () => {
    expect(releasesToPrune(['1.0.0', '2.0.0'], deployed('1.0.0', '2.0.0'), '2.0.0', 3)).toEqual([]);
  });

  it('never prunes a protected release (the rollback target of the step running), known or not', () => {
    const history = deployed('1.0.0', '1.1.0', '1.2.0', '2.0.0');
    expect(releasesToPrune(['1.0.0', '1.1.0', '1.2.0', '2.0.0'], history, '2.0.0', 2, ['1.0.0'])).toEqual([
      '1.1.0',
    ]);
    expect(releasesToPrune(['0.9.0', '1.0.0'], deployed('1.0.0'), '1.0.0', 3, ['0.9.0', null])).toEqual([]);
  });

  it('keeps the pre-Conveyor release after the first and the second deploy once it is adopted', () => {
    // 0.9.0 was installed by hand; the agent adopts it when it finds it serving.
    const adopted = adoptRelease({}, '0.9.0', at(0));
    const first = recordActivated(recordInstalled(adopted, '1.0.0', 'ab'.repeat(32), at(1)), '1.0.0', at(1));
    expect(releasesToPrune(['0.9.0', '1.0.0'], first, '1.0.0', 3, ['0.9.0'])).toEqual([]);
    const second = recordActivated(recordInstalled(first, '2.0.0', 'cd'.repeat(32), at(2)), '2.0.0', at(2));
    expect(releasesToPrune(['0.9.0', '1.0.0', '2.0.0'], second, '2.0.0', 3, ['1.0.0'])).toEqual([]);
    expect(rollbackTarget(['0.9.0', '1.0.0', '2.0.0'], second, '2.0.0', '0.9.0')).toBe('0.9.0');
  });

  it('refuses a keep below one', () => {
    expect(() => releasesToPrune([], {}, null, 0)).toThrow(RangeError);
  });
});

describe('rollbackTarget', () => {
  it('is the kept release used most recently before the current one', () => {
    expect(rollbackTarget(['1.0.0', '1.1.0', '2.0.0'], deployed('1.0.0', '1.1.0', '2.0.0'), '2.0.0')).toBe(
      '1.1.0',
    );
  });

  it('toggles: after rolling back, rolling back again returns to the release left', () => {
    const history = recordActivated(deployed('1.0.0', '2.0.0'), '1.0.0', at(5));
    expect(rollbackTarget(['1.0.0', '2.0.0'], history, '1.0.0')).toBe('2.0.0');
  });

  it('honours toVersion only when it is kept and not current', () => {
    const history = deployed('1.0.0', '1.1.0', '2.0.0');
    expect(rollbackTarget(['1.0.0', '1.1.0', '2.0.0'], history, '2.0.0', '1.0.0')).toBe('1.0.0');
    expect(rollbackTarget(['1.1.0', '2.0.0'], history, '2.0.0', '1.0.0')).toBeUndefined();
    expect(rollbackTarget(['1.0.0', '2.0.0'], history, '2.0.0', '2.0.0')).toBeUndefined();
  });

  it('is undefined with a single release, or a release whose directory is gone', () => {
    expect(rollbackTarget(['1.0.0'], deployed('1.0.0'), '1.0.0')).toBeUndefined();
    expect(
      rollbackTarget(['2.0.0'], forgetReleases(deployed('1.0.0', '2.0.0'), []), '2.0.0'),
    ).toBeUndefined();
  });
});

describe('adoptRelease', () => {
  it('takes a serving release the history does not know, as used now, marked adopted', () => {
    expect(adoptRelease({}, '0.9.0', at(3))).toEqual({
      '0.9.0': {
        version: '0.9.0',
        sha256: 'unknown',
        installedAt: at(3).toISOString(),
        activatedAt: at(3).toISOString(),
        adopted: true,
      },
    });
  });

  it('leaves a known release and the absence of a release as they are', () => {
    const history = deployed('1.0.0');
    expect(adoptRelease(history, '1.0.0', at(9))).toBe(history);
    expect(adoptRelease(history, null, at(9))).toBe(history);
  });
});
