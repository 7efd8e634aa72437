import { InvalidHaproxyArgumentError } from '../errors/haproxy-errors';
import {
  agentCommand,
  assertSingleCommand,
  healthCommand,
  setServerStateCommand,
  setWeightCommand,
  showServersStateCommand,
  shutdownSessionsCommand,
  type ServerAdminState,
} from './runtime-commands';

describe('runtime command builders', () => {
  it('builds the HAProxy 2.6 command lines', () => {
    expect(setServerStateCommand('be', 's1', 'drain')).toBe('set server be/s1 state drain');
    expect(setWeightCommand('be', 's1', 150)).toBe('set weight be/s1 150');
    expect(setWeightCommand('be', 's1', '50%')).toBe('set weight be/s1 50%');
    expect(healthCommand('be', 's1', false)).toBe('disable health be/s1');
    expect(agentCommand('be', 's1', true)).toBe('enable agent be/s1');
    expect(shutdownSessionsCommand('be', 's1')).toBe('shutdown sessions server be/s1');
    expect(showServersStateCommand()).toBe('show servers state');
    expect(showServersStateCommand('be')).toBe('show servers state be');
  });

  it.each(['be;shutdown sessions server x/y', 'be x', 'be/s', '', 'be\n'])(
    'refuses the unsafe backend name %j',
    (backend) => {
      expect(() => setServerStateCommand(backend, 's1', 'maint')).toThrow(InvalidHaproxyArgumentError);
    },
  );

  it('names the unsafe server', () => {
    expect(() => shutdownSessionsCommand('be', 's1;help')).toThrow(/server "s1;help"/);
  });

  it('refuses states and weights HAProxy would refuse', () => {
    expect(() => setServerStateCommand('be', 's1', 'up' as ServerAdminState)).toThrow(
      /expected ready, drain or maint/,
    );
    expect(() => setWeightCommand('be', 's1', 257)).toThrow(/0\.\.256/);
    expect(() => setWeightCommand('be', 's1', 1.5)).toThrow(/0\.\.256/);
    expect(() => setWeightCommand('be', 's1', '150%')).toThrow(/"0%".."100%"/);
  });

  it('refuses raw commands of several lines', () => {
    expect(() => assertSingleCommand('show stat\nshow info')).toThrow(/single line/);
    expect(() => assertSingleCommand('  ')).toThrow(/empty/);
    expect(() => assertSingleCommand('show info')).not.toThrow();
  });
});
