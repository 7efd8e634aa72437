import { spawnSync } from 'node:child_process';
import { eventContracts } from '@conveyor/contracts';
import { deadLetterQueueArguments, serviceQueueArguments } from '@conveyor/messaging';
import { readRepoFile, repoPath } from '../repo-files';
import { definitionsSchema, type Definitions } from './definitions.schema';
import { generatedRabbitmqFiles } from './generated-definitions';

const SERVICES = ['pipeline', 'orchestrator', 'pool-manager', 'verifier', 'audit'] as const;
const definitions: Definitions = definitionsSchema.parse(
  JSON.parse(readRepoFile('deploy', 'rabbitmq', 'definitions.json')),
);
const allTypes = eventContracts.map((contract) => contract.type as string);
const commandTypes = allTypes.filter((type) => /^agent\.[a-z]+\.requested$/.test(type));
const agentReplyTypes = allTypes.filter((type) => type.startsWith('agent.') && !commandTypes.includes(type));

/** RabbitMQ matches topic permissions with PCRE; these patterns use nothing JavaScript reads differently. */
function topicWrite(user: string): RegExp {
  const entry = definitions.topic_permissions.find(
    (permission) => permission.user === user && permission.exchange === 'conveyor.events',
  );
  if (entry === undefined) throw new Error(`${user} has no topic permissions on conveyor.events`);
  return new RegExp(entry.write);
}

describe('deploy/rabbitmq/definitions.json', () => {
  it('is exactly what `npm run rabbitmq:definitions` generates from the contracts (and so is agent-topic-permissions.json)', () => {
    for (const [name, generated] of Object.entries(generatedRabbitmqFiles())) {
      expect([name, JSON.parse(readRepoFile('deploy', 'rabbitmq', name)) as unknown]).toEqual([
        name,
        generated,
      ]);
    }
  });

  it('lets each service publish exactly the event types whose contract names it as producer', () => {
    for (const service of SERVICES) {
      const write = topicWrite(`conveyor-${service}`);
      for (const contract of eventContracts)
        expect([service, contract.type, write.test(contract.type)]).toEqual([
          service,
          contract.type,
          contract.producer === service,
        ]);
      // Anchored: a key that merely starts or ends with an owned type is not allowed.
      expect(write.test('x.deployment.requested')).toBe(false);
      expect(write.test('deployment.requested.v9')).toBe(false);
    }
  });

  it("gives no service configure on the shared exchanges or another service's queues", () => {
    for (const service of SERVICES) {
      const permission = definitions.permissions.find((entry) => entry.user === `conveyor-${service}`);
      const configure = new RegExp(permission?.configure ?? '.*');
      expect(configure.test(`conveyor.${service}`)).toBe(true);
      for (const other of [
        'conveyor.events',
        'conveyor.dead-letter',
        'conveyor.agent.dead-letter',
        'conveyor.agent.web-1',
      ])
        expect([service, other, configure.test(other)]).toEqual([service, other, false]);
      for (const otherService of SERVICES.filter((entry) => entry !== service))
        expect(configure.test(`conveyor.${otherService}`)).toBe(false);
    }
  });

  it('knows the agent command types of the contracts', () => {
    expect(commandTypes.sort()).toEqual([
      'agent.deploy.requested',
      'agent.discovery.requested',
      'agent.migrate.requested',
      'agent.rollback.requested',
      'agent.state.requested',
    ]);
  });

  it('declares each service queue with exactly the arguments the code declares it with (AMQP_MAX_ATTEMPTS=5)', () => {
    for (const service of SERVICES) {
      const queue = definitions.queues.find((entry) => entry.name === `conveyor.${service}`);
      expect(queue?.arguments).toEqual(serviceQueueArguments({ service, maxAttempts: 5 }));
      expect(
        definitions.queues.find((entry) => entry.name === `conveyor.${service}.dead-letter`)?.arguments,
      ).toEqual(deadLetterQueueArguments());
    }
    expect(
      definitions.queues.find((entry) => entry.name === 'conveyor.agent.dead-letter')?.arguments,
    ).toEqual(deadLetterQueueArguments());
  });

  it('lets only the orchestrator publish agent commands, and no service publish an agent reply', () => {
    for (const service of SERVICES) {
      const write = topicWrite(`conveyor-${service}`);
      for (const type of commandTypes)
        expect([service, type, write.test(type)]).toEqual([service, type, service === 'orchestrator']);
      for (const type of agentReplyTypes)
        expect([service, type, write.test(type)]).toEqual([service, type, false]);
    }
    expect(topicWrite('conveyor-orchestrator').test('deployment.batch.started')).toBe(true);
    expect(topicWrite('conveyor-pipeline').test('deployment.requested')).toBe(true);
  });

  it('lets an agent publish every agent reply of the contracts, and nothing else', () => {
    const write = topicWrite('conveyor-agent-web-1');
    for (const type of allTypes)
      expect([type, write.test(type)]).toEqual([type, agentReplyTypes.includes(type)]);
  });

  it('describes its sample agents exactly as deploy/rabbitmq/agent-user.js describes a new agent', () => {
    for (const nodeId of ['web-1', 'web-2']) {
      const run = spawnSync(process.execPath, [repoPath('deploy', 'rabbitmq', 'agent-user.js'), nodeId], {
        env: { ...process.env, AGENT_RABBITMQ_PASSWORD: 'a-long-enough-password' },
        encoding: 'utf8',
      });
      expect(run.status).toBe(0);
      const generated = definitionsSchema
        .pick({ users: true, permissions: true, topic_permissions: true })
        .parse(JSON.parse(run.stdout));
      const user = `conveyor-agent-${nodeId}`;
      expect(generated.permissions).toEqual(definitions.permissions.filter((entry) => entry.user === user));
      expect(generated.topic_permissions).toEqual(
        definitions.topic_permissions.filter((entry) => entry.user === user),
      );
      expect(generated.users.map(({ password_hash: _hash, ...rest }) => rest)).toEqual(
        definitions.users
          .filter((entry) => entry.name === user)
          .map(({ password_hash: _hash, ...rest }) => rest),
      );
    }
  });

  it('refuses to print a user for an invalid node id or without a password', () => {
    const run = (args: string[], password?: string) =>
      spawnSync(process.execPath, [repoPath('deploy', 'rabbitmq', 'agent-user.js'), ...args], {
        env: {
          PATH: process.env['PATH'] ?? '',
          ...(password === undefined ? {} : { AGENT_RABBITMQ_PASSWORD: password }),
        },
        encoding: 'utf8',
      });
    expect(run(['web 1'], 'a-long-enough-password')).toMatchObject({ status: 2, stdout: '' });
    expect(run(['web-1'])).toMatchObject({ status: 2, stdout: '' });
  });

  it('gives every agent user configure and read on its own queue only', () => {
    for (const permission of definitions.permissions.filter((entry) =>
      entry.user.startsWith('conveyor-agent-'),
    )) {
      const own = `conveyor.agent.${permission.user.slice('conveyor-agent-'.length)}`;
      const configure = new RegExp(permission.configure);
      const read = new RegExp(permission.read);
      expect(configure.test(own)).toBe(true);
      expect(read.test(own)).toBe(true);
      for (const other of [
        'conveyor.agent.web-9',
        'conveyor.events',
        'conveyor.dead-letter',
        'conveyor.agent.dead-letter',
        'conveyor.orchestrator',
      ]) {
        expect([permission.user, other, configure.test(other)]).toEqual([permission.user, other, false]);
      }
      expect(read.test('conveyor.agent.web-9')).toBe(false);
    }
  });
});
