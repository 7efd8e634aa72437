/** Integration tests: real RabbitMQ, PostgreSQL and HAProxy (a fresh vhost and database per file). */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'demo:integration',
  roots: ['<rootDir>/tools/demo'],
  testMatch: ['**/*.int-spec.ts'],
  testTimeout: 60000,
};
