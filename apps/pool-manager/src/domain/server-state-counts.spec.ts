import { snapshotOf } from '../testing/snapshot-factory';
import { countServerStates } from './server-state-counts';

describe('countServerStates', () => {
  it('counts each server once per backend, "inconsistent" when instances disagree', () => {
    const a = snapshotOf(
      'lb-a',
      { s1: { admin: 'maint' }, s2: {}, s3: {} },
      { s1: {}, s2: { admin: 'maint' }, s3: { admin: 'maint' } },
    );
    const b = snapshotOf(
      'lb-b',
      { s1: { admin: 'maint' }, s2: {}, s3: { status: 'DOWN' } },
      { s1: {}, s2: { admin: 'maint' }, s3: { admin: 'maint' } },
    );
    expect(countServerStates([a, b])).toEqual([
      { backend: 'be_online', state: 'maint', count: 1 },
      { backend: 'be_online', state: 'up', count: 1 },
      { backend: 'be_online', state: 'inconsistent', count: 1 },
      { backend: 'be_maintenance', state: 'up', count: 1 },
      { backend: 'be_maintenance', state: 'maint', count: 2 },
    ]);
  });

  it('has nothing to count without a reachable instance', () => {
    expect(countServerStates([])).toEqual([]);
  });
});
