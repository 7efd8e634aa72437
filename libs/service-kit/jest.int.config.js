/** Integration tests: real RabbitMQ, PostgreSQL and HAProxy (a fresh vhost and database per file). */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'service-kit:integration',
  roots: ['<rootDir>/libs/service-kit'],
  testMatch: ['**/*.int-spec.ts'],
  testTimeout: 60000,
};
