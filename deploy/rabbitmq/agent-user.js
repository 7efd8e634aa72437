#!/usr/bin/env node
// Prints the RabbitMQ definitions of one agent's user: the user, its permissions on the vhost and its
// topic permissions on conveyor.events. The same shape as the sample agents in definitions.json.
//
//   AGENT_RABBITMQ_PASSWORD='…' node deploy/rabbitmq/agent-user.js web-3 [--vhost conveyor] > web-3.json
//   curl -u admin:… -H 'content-type: application/json' -X POST --data @web-3.json http://rabbitmq:15672/api/definitions
//
// The password is read from the environment (never from the command line, which other users of
// the host can see) and only its salted SHA-256 hash is printed.
'use strict';
const { createHash, randomBytes } = require('node:crypto');

const NODE_ID = /^[a-z0-9][a-z0-9._-]{0,62}$/i; // the agent's own NODE_ID rule
// Generated from the contracts by `npm run rabbitmq:definitions`: exactly the routing keys an agent
// produces (write) and the agent commands its queue may be bound to (read).
const { write: REPLIES, read: COMMANDS } = require('./agent-topic-permissions.json');

/** RabbitMQ's rabbit_password_hashing_sha256: base64(salt ‖ sha256(salt ‖ password)), 4-byte salt. */
function rabbitPasswordHash(password, salt = randomBytes(4)) {
  return Buffer.concat([
    salt,
    createHash('sha256')
      .update(Buffer.concat([salt, Buffer.from(password, 'utf8')]))
      .digest(),
  ]).toString('base64');
}

function escapeRegex(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The definitions of agent `nodeId`'s user `conveyor-agent-<nodeId>`. */
function agentUserDefinitions(nodeId, passwordHash, vhost = 'conveyor') {
  if (!NODE_ID.test(nodeId))
    throw new Error(`"${nodeId}" is not a valid NODE_ID (1-63 letters, digits, dots, dashes or underscores)`);
  const user = `conveyor-agent-${nodeId}`;
  const ownQueue = escapeRegex(`conveyor.agent.${nodeId}`);
  return {
    users: [
      {
        name: user,
        password_hash: passwordHash,
        hashing_algorithm: 'rabbit_password_hashing_sha256',
        tags: [],
        limits: {},
      },
    ],
    permissions: [
      {
        user,
        vhost,
        // declare (and re-declare) its own queue only; the shared exchanges and dead-letter queue are checked passively
        configure: `^${ownQueue}$`,
        // bind its own queue; publish replies (topic permissions below narrow the routing keys) and dead letters
        write: `^(${ownQueue}|conveyor\\.events|conveyor\\.dead-letter)$`,
        // consume its own queue; bind it to conveyor.events
        read: `^(${ownQueue}|conveyor\\.events)$`,
      },
    ],
    topic_permissions: [{ user, vhost, exchange: 'conveyor.events', write: REPLIES, read: COMMANDS }],
  };
}

module.exports = { agentUserDefinitions, rabbitPasswordHash, COMMANDS, REPLIES };

if (require.main === module) {
  const args = process.argv.slice(2);
  const vhostAt = args.indexOf('--vhost');
  const vhost = vhostAt >= 0 ? args[vhostAt + 1] : 'conveyor';
  const nodeId = args.find((arg, index) => !arg.startsWith('--') && (vhostAt < 0 || index !== vhostAt + 1));
  const password = process.env.AGENT_RABBITMQ_PASSWORD;
  if (nodeId === undefined || vhost === undefined || password === undefined || password.length < 12) {
    process.stderr.write(
      'usage: AGENT_RABBITMQ_PASSWORD=<at least 12 characters> node deploy/rabbitmq/agent-user.js <nodeId> [--vhost conveyor]\n',
    );
    process.exit(2);
  }
  try {
    process.stdout.write(
      `${JSON.stringify(agentUserDefinitions(nodeId, rabbitPasswordHash(password), vhost), null, 2)}\n`,
    );
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
}
