/** Integration tests: real RabbitMQ, PostgreSQL and HAProxy (a fresh vhost and database per file). */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'contracts:integration',
  roots: ['<rootDir>/libs/contracts'],
  testMatch: ['**/*.int-spec.ts'],
  testTimeout: 60000,
};
