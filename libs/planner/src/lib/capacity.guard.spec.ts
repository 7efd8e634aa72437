import { capacityGuard } from './capacity.guard';

const online = ['s1', 's2', 's3', 's4', 's5'];

describe('capacityGuard', () => {
  it('allows a step that keeps the floor and gives the numbers', () => {
    expect(capacityGuard({ onlineIds: online, floor: 3 }, { takeOutIds: ['s1', 's2'] })).toEqual({
      allowed: true,
      onlineNow: 5,
      wouldRemain: 3,
      floor: 3,
      takingOut: ['s1', 's2'],
      alreadyOut: [],
    });
  });

  it('refuses a step that would go below the floor and says by how much', () => {
    expect(capacityGuard({ onlineIds: online, floor: 3 }, { takeOutIds: ['s1', 's2', 's3'] })).toEqual({
      allowed: false,
      code: 'below_floor',
      reason: 'taking out 3 online servers would leave 2 of 5 online, below the floor of 3',
      onlineNow: 5,
      wouldRemain: 2,
      floor: 3,
      takingOut: ['s1', 's2', 's3'],
      alreadyOut: [],
    });
  });

  it('does not count a server that is already out, nor a server named twice', () => {
    const decision = capacityGuard({ onlineIds: online, floor: 3 }, { takeOutIds: ['s1', 's9', 's1', 's2'] });
    expect(decision).toMatchObject({
      allowed: true,
      wouldRemain: 3,
      takingOut: ['s1', 's2'],
      alreadyOut: ['s9'],
    });
  });

  it('counts a duplicated online id once', () => {
    expect(capacityGuard({ onlineIds: ['s1', 's1', 's2'], floor: 1 }, { takeOutIds: ['s2'] })).toMatchObject({
      allowed: true,
      onlineNow: 2,
      wouldRemain: 1,
    });
  });

  it('below the floor, allows only requests that take no online server out', () => {
    const belowFloor = { onlineIds: ['s1', 's2'], floor: 3 };
    expect(capacityGuard(belowFloor, { takeOutIds: ['s7', 's8'] })).toMatchObject({
      allowed: true,
      wouldRemain: 2,
    });
    expect(capacityGuard(belowFloor, { takeOutIds: [] })).toMatchObject({ allowed: true });
    expect(capacityGuard(belowFloor, { takeOutIds: ['s7', 's1'] })).toMatchObject({
      allowed: false,
      reason: 'taking out 1 online server would leave 1 of 2 online, below the floor of 3',
    });
  });

  it.each([[-1], [1.5], [Number.NaN]])('fails closed on a floor of %p', (floor) => {
    expect(capacityGuard({ onlineIds: online, floor }, { takeOutIds: ['s1'] })).toMatchObject({
      allowed: false,
      code: 'invalid_floor',
    });
  });
});
