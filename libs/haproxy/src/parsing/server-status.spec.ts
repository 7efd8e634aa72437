import { normaliseStatus } from './server-status';

describe('normaliseStatus', () => {
  it.each([
    ['UP', 'UP'],
    ['DOWN', 'DOWN'],
    ['DRAIN', 'DRAIN'],
    ['MAINT', 'MAINT'],
    ['NOLB', 'NOLB'],
    ['no check', 'NO_CHECK'],
    ['OPEN', 'OPEN'],
    ['FULL', 'FULL'],
    ['STOP', 'STOP'],
  ] as const)('maps %s to %s', (raw, status) => {
    expect(normaliseStatus(raw)).toEqual({ status, raw });
  });

  it.each([
    ['UP 1/3', 'UP', 'DOWN', 1, 3],
    ['DOWN 1/2', 'DOWN', 'UP', 1, 2],
    ['NOLB 2/3', 'NOLB', 'DOWN', 2, 3],
    ['DRAIN 1/3', 'DRAIN', 'DOWN', 1, 3],
  ] as const)('reads the transition in %s', (raw, status, towards, checks, needed) => {
    expect(normaliseStatus(raw)).toEqual({ status, raw, transition: { towards, checks, needed } });
  });

  it.each([
    ['MAINT (via be_a/s1)', 'MAINT', 'via be_a/s1'],
    ['MAINT (resolution)', 'MAINT', 'resolution'],
    ['DRAIN (agent)', 'DRAIN', 'agent'],
    ['DOWN (agent)', 'DOWN', 'agent'],
  ] as const)('keeps the reason of %s', (raw, status, reason) => {
    expect(normaliseStatus(raw)).toEqual({ status, raw, reason });
  });

  it('says UNKNOWN for text it does not know, keeping it raw', () => {
    expect(normaliseStatus('SOMETHING NEW')).toEqual({ status: 'UNKNOWN', raw: 'SOMETHING NEW' });
    expect(normaliseStatus('')).toEqual({ status: 'UNKNOWN', raw: '' });
  });
});
