/** Integration tests: real RabbitMQ, PostgreSQL and HAProxy (a fresh vhost and database per file). */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'audit-chain:integration',
  roots: ['<rootDir>/libs/audit-chain'],
  testMatch: ['**/*.int-spec.ts'],
  testTimeout: 60000,
};
