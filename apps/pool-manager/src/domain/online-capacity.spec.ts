import { snapshotOf } from '../testing/snapshot-factory';
import { checkDrainCapacity, onlineServerIds } from './online-capacity';

describe('onlineServerIds', () => {
  it('counts servers UP and ready on every instance of the pool', () => {
    const a = snapshotOf('lb-a', { s1: {}, s2: {}, s3: { status: 'DOWN' }, s4: { admin: 'drain' } });
    const b = snapshotOf('lb-b', { s1: {}, s2: { admin: 'maint' }, s3: {}, s4: {} });
    expect(onlineServerIds([a, b], [])).toEqual(['s1']);
  });

  it('does not count a server a reload put back UP against its maintenance intent', () => {
    const a = snapshotOf('lb-a', { s1: {}, s2: {} });
    expect(onlineServerIds([a], [{ server: 's2', online: 'maint', maintenance: 'ready' }])).toEqual(['s1']);
  });

  it('counts unchecked servers (no health check configured) as online', () => {
    expect(onlineServerIds([snapshotOf('lb-a', { s1: { status: 'NO_CHECK' } })], [])).toEqual(['s1']);
  });
});

describe('checkDrainCapacity', () => {
  const three = snapshotOf('lb-a', { s1: {}, s2: {}, s3: { status: 'DOWN' } });

  it('refuses when the servers left UP would be fewer than the floor', () => {
    const { decision, onlineIds } = checkDrainCapacity([three], [], ['s1'], 2);
    expect(onlineIds).toEqual(['s1', 's2']);
    expect(decision).toMatchObject({ allowed: false, code: 'below_floor', wouldRemain: 1 });
  });

  it('allows a drain that keeps the floor, and one of servers already out', () => {
    expect(checkDrainCapacity([three], [], ['s1'], 1).decision.allowed).toBe(true);
    expect(checkDrainCapacity([three], [], ['s3'], 2).decision).toMatchObject({
      allowed: true,
      alreadyOut: ['s3'],
    });
  });
});
