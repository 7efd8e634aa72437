import type { PoolConfig } from '../config/pools-config.schema';
import { intentsAfter, planCompensation, planStateChange, priorIntents } from './state-plan';

const pool: PoolConfig = {
  name: 'web',
  instances: ['lb-a', 'lb-b'],
  onlineBackend: 'be_online',
  maintenanceBackend: 'be_maint',
};
const prior = new Map([
  ['s1', { server: 's1', online: 'ready' as const, maintenance: 'maint' as const }],
  ['s2', { server: 's2', online: 'ready' as const, maintenance: 'ready' as const }],
]);

describe('planStateChange', () => {
  it('changes every server on every instance, instance by instance, online before maintenance', () => {
    const commands = planStateChange(pool, ['s1', 's2'], { online: 'maint', maintenance: 'ready' });
    expect(commands.map((c) => `${c.instance} ${c.backend}/${c.server} ${c.state}`)).toEqual([
      'lb-a be_online/s1 maint',
      'lb-a be_online/s2 maint',
      'lb-a be_maint/s1 ready',
      'lb-a be_maint/s2 ready',
      'lb-b be_online/s1 maint',
      'lb-b be_online/s2 maint',
      'lb-b be_maint/s1 ready',
      'lb-b be_maint/s2 ready',
    ]);
  });
});

describe('planCompensation', () => {
  it('puts back what was applied, in reverse, skipping the failed instance', () => {
    const applied = planStateChange(pool, ['s1'], { online: 'drain' });
    expect(
      planCompensation(applied, prior, 'lb-b').map(
        (c) => `${c.instance} ${c.backend}/${c.server} ${c.state}`,
      ),
    ).toEqual(['lb-a be_online/s1 ready']);
  });

  it('restores each backend to its own prior state, once per server', () => {
    const applied = [
      ...planStateChange(pool, ['s1'], { online: 'drain' }),
      ...planStateChange(pool, ['s1'], { online: 'maint', maintenance: 'ready' }),
    ];
    expect(
      planCompensation(applied, prior).map((c) => `${c.instance} ${c.backend}/${c.server} ${c.state}`),
    ).toEqual([
      'lb-b be_maint/s1 maint',
      'lb-b be_online/s1 ready',
      'lb-a be_maint/s1 maint',
      'lb-a be_online/s1 ready',
    ]);
  });

  it('has nothing to undo when nothing was applied', () => {
    expect(planCompensation([], prior, 'lb-a')).toEqual([]);
  });
});

describe('intentsAfter and priorIntents', () => {
  it('applies a change over the prior intents', () => {
    expect(intentsAfter(['s1', 's3'], prior, { online: 'drain' })).toEqual([
      { server: 's1', online: 'drain', maintenance: 'maint' },
      { server: 's3', online: 'drain', maintenance: 'ready' },
    ]);
  });

  it('takes the recorded intent, else what the instance shows', () => {
    const result = priorIntents(['s1', 's2'], [{ server: 's1', online: 'maint', maintenance: 'ready' }], {
      online: () => 'drain',
      maintenance: () => 'maint',
    });
    expect([...result.values()]).toEqual([
      { server: 's1', online: 'maint', maintenance: 'ready' },
      { server: 's2', online: 'drain', maintenance: 'maint' },
    ]);
  });
});
