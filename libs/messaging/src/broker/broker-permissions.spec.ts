import { eventContracts } from '@conveyor/contracts';
import { agentPermissions, escapeRegex, exactKeys, servicePermissions } from './broker-permissions';
import { brokerDefinitions, devPassword, rabbitPasswordHash } from './broker-definitions';

describe('broker permissions from the contracts', () => {
  it("lets a service publish exactly its own types and an agent exactly the agents' types", () => {
    const orchestrator = new RegExp(servicePermissions('orchestrator', 'v').topicPermission.write);
    const agent = new RegExp(agentPermissions('web-1', 'v').topicPermission.write);
    for (const contract of eventContracts) {
      expect([contract.type, orchestrator.test(contract.type)]).toEqual([
        contract.type,
        contract.producer === 'orchestrator',
      ]);
      expect([contract.type, agent.test(contract.type)]).toEqual([
        contract.type,
        contract.producer === 'agent',
      ]);
    }
  });

  it('matches keys exactly: dots are literal and the pattern is anchored', () => {
    const pattern = new RegExp(exactKeys(['a.b']));
    expect(pattern.test('a.b')).toBe(true);
    expect(pattern.test('aXb')).toBe(false);
    expect(pattern.test('a.b.c')).toBe(false);
    expect(new RegExp(exactKeys([])).test('')).toBe(true);
    expect(new RegExp(exactKeys([])).test('a')).toBe(false);
    expect(escapeRegex('a.b*')).toBe('a\\.b\\*');
  });

  it('lets a service configure only its own queues', () => {
    const configure = new RegExp(servicePermissions('verifier', 'v').permission.configure);
    expect(configure.test('conveyor.verifier')).toBe(true);
    expect(configure.test('conveyor.verifier.dead-letter')).toBe(true);
    expect(configure.test('conveyor.verifier.retry.1')).toBe(true);
    expect(configure.test('conveyor.verifier.retry.12')).toBe(true);
    expect(configure.test('conveyor.verifier.retry.x')).toBe(false);
    expect(configure.test('conveyor.orchestrator.retry.1')).toBe(false);
    expect(configure.test('conveyor.verifier.retry.1.more')).toBe(false);
    expect(configure.test('conveyor.events')).toBe(false);
    expect(configure.test('conveyor.orchestrator')).toBe(false);
  });

  it('generates the same definitions on every run, with hashes of the documented dev passwords', () => {
    expect(brokerDefinitions()).toEqual(brokerDefinitions());
    const pipeline = brokerDefinitions().users.find((user) => user.name === 'conveyor-pipeline');
    const hash = Buffer.from(pipeline?.password_hash ?? '', 'base64');
    expect(rabbitPasswordHash('dev-pipeline', hash.subarray(0, 4))).toBe(pipeline?.password_hash);
    expect(devPassword('conveyor-agent-web-1')).toBe('dev-agent-web-1');
    expect(() => devPassword('guest')).toThrow('not a Conveyor broker user');
  });
});
