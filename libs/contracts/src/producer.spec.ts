import { defineEvent } from './define-event';
import { z } from 'zod';
import { agentBrokerUser, brokerUserOf, PRODUCERS, serviceBrokerUser, type Producer } from './producer';
import { expectedPublisher, participantOfBrokerUser } from './publisher-identity';
import { contractsByType, eventContracts } from './registry';

describe('producers', () => {
  it('every contract names one of the known producers', () => {
    for (const contract of eventContracts)
      expect([contract.type, PRODUCERS.includes(contract.producer)]).toEqual([contract.type, true]);
  });

  it('gives each producer the types its code publishes (spot checks)', () => {
    const producerOf = (type: string) => contractsByType.get(type)?.producer;
    expect(producerOf('deployment.requested')).toBe('pipeline');
    expect(producerOf('deployment.abort.requested')).toBe('pipeline');
    expect(producerOf('deployment.started')).toBe('orchestrator');
    expect(producerOf('agent.deploy.requested')).toBe('orchestrator');
    expect(producerOf('agent.deploy.succeeded')).toBe('agent');
    expect(producerOf('agent.heartbeat')).toBe('agent');
    expect(producerOf('pool.drain.requested')).toBe('orchestrator');
    expect(producerOf('pool.server.drained')).toBe('pool-manager');
    expect(producerOf('verification.requested')).toBe('orchestrator');
    expect(producerOf('verification.passed')).toBe('verifier');
    expect(producerOf('audit.checkpoint.created')).toBe('audit');
  });

  it('lets agents produce only agent.* events, and every agent event name its node', () => {
    for (const contract of eventContracts.filter((c) => c.producer === 'agent')) {
      expect(contract.type.startsWith('agent.')).toBe(true);
      // The schema requires data.nodeId: without it the event would be refused as unattributable.
      const shape = (contract.schema as unknown as z.ZodObject).shape as Record<string, unknown>;
      expect([contract.type, 'nodeId' in shape]).toEqual([contract.type, true]);
    }
  });

  it('refuses a contract without a known producer', () => {
    expect(() =>
      defineEvent({
        name: 'x.happened',
        version: 1,
        description: 'x',
        producer: 'mallory' as Producer,
        schema: z.object({}),
      }),
    ).toThrow('unknown producer "mallory"');
  });
});

describe('broker users', () => {
  it('names services conveyor-<service> and agents conveyor-agent-<nodeId>', () => {
    expect(serviceBrokerUser('pool-manager')).toBe('conveyor-pool-manager');
    expect(agentBrokerUser('web-1')).toBe('conveyor-agent-web-1');
    expect(brokerUserOf('orchestrator')).toBe('conveyor-orchestrator');
    expect(brokerUserOf('agent:db.2')).toBe('conveyor-agent-db.2');
  });

  it('refuses a node id the agent would refuse, and an unknown participant', () => {
    expect(() => agentBrokerUser('web 1')).toThrow('"web 1" is not a valid node id');
    expect(() => agentBrokerUser('')).toThrow('not a valid node id');
    expect(() => brokerUserOf('agent' as never)).toThrow('neither a service');
    expect(() => brokerUserOf('mallory' as never)).toThrow('neither a service');
  });
});

describe('expectedPublisher', () => {
  const contract = (type: string) => {
    const found = contractsByType.get(type);
    if (found === undefined) throw new Error(type);
    return found;
  };

  it("is the producer service's user for a service's event", () => {
    expect(expectedPublisher(contract('deployment.requested'), {})).toEqual({
      ok: true,
      user: 'conveyor-pipeline',
    });
  });

  it("is the named node's user for an agent's event", () => {
    expect(expectedPublisher(contract('agent.heartbeat'), { nodeId: 'web-2' })).toEqual({
      ok: true,
      user: 'conveyor-agent-web-2',
    });
  });

  it('refuses an agent event without a valid node id', () => {
    expect(expectedPublisher(contract('agent.heartbeat'), {})).toEqual({
      ok: false,
      reason: "agent.heartbeat is an agent's event but names no valid data.nodeId",
    });
    expect(expectedPublisher(contract('agent.heartbeat'), { nodeId: '../x y' }).ok).toBe(false);
  });
});

describe('participantOfBrokerUser', () => {
  it('names the producer of a service or agent user, and nothing for any other user', () => {
    expect(participantOfBrokerUser('conveyor-pool-manager')).toBe('pool-manager');
    expect(participantOfBrokerUser('conveyor-agent-web-1.eu')).toBe('agent:web-1.eu');
    for (const user of ['guest', 'conveyor-agent-', 'conveyor-agent-/x', 'conveyor-operator', 'pipeline'])
      expect(participantOfBrokerUser(user)).toBeUndefined();
  });
});
