/** Integration tests: real RabbitMQ, PostgreSQL and HAProxy (a fresh vhost and database per file). */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'pool-manager:integration',
  roots: ['<rootDir>/apps/pool-manager'],
  testMatch: ['**/*.int-spec.ts'],
  testTimeout: 60000,
};
