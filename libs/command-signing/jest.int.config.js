/** Integration tests: real RabbitMQ, PostgreSQL and HAProxy (a fresh vhost and database per file). */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'command-signing:integration',
  roots: ['<rootDir>/libs/command-signing'],
  testMatch: ['**/*.int-spec.ts'],
  testTimeout: 60000,
};
