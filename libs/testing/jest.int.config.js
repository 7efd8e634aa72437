/** Integration tests: real RabbitMQ, PostgreSQL and HAProxy (a fresh vhost and database per file). */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'testing:integration',
  roots: ['<rootDir>/libs/testing'],
  testMatch: ['**/*.int-spec.ts'],
  testTimeout: 60000,
};
