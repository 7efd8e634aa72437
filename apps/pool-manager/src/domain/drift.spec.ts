import { snapshotOf } from '../testing/snapshot-factory';
import { detectDrift } from './drift';

describe('detectDrift', () => {
  it('finds a maintenance server a restart made ready again, in both backends', () => {
    const restarted = snapshotOf('lb-a', { s1: {}, s2: {} }, { s1: {}, s2: {} });
    const drifts = detectDrift(
      [
        { server: 's1', online: 'maint', maintenance: 'ready' },
        { server: 's2', online: 'ready', maintenance: 'maint' },
      ],
      restarted,
    );
    expect(drifts).toEqual([
      {
        instance: 'lb-a',
        role: 'online',
        backend: 'be_online',
        server: 's1',
        intended: 'maint',
        observedAdmin: 'ready',
        observed: 'ready (UP)',
      },
      {
        instance: 'lb-a',
        role: 'maintenance',
        backend: 'be_maintenance',
        server: 's2',
        intended: 'maint',
        observedAdmin: 'ready',
        observed: 'ready (UP)',
      },
    ]);
  });

  it('puts servers exposed to customers first', () => {
    const live = snapshotOf('lb-a', { s1: { admin: 'maint' }, s2: {} }, { s1: {}, s2: {} });
    const drifts = detectDrift(
      [
        { server: 's1', online: 'ready', maintenance: 'maint' },
        { server: 's2', online: 'maint', maintenance: 'ready' },
      ],
      live,
    );
    expect(drifts.map((drift) => `${drift.backend}/${drift.server}`)).toEqual([
      'be_online/s2',
      'be_online/s1',
      'be_maintenance/s1',
    ]);
  });

  it('leaves alone servers that match, servers never changed, and servers the instance lacks', () => {
    const live = snapshotOf('lb-a', { s1: { admin: 'maint' }, s2: {} }, { s1: {}, s2: {} });
    expect(
      detectDrift(
        [
          { server: 's1', online: 'maint', maintenance: 'ready' },
          { server: 's9', online: 'maint', maintenance: 'ready' },
        ],
        live,
      ),
    ).toEqual([]);
  });
});
