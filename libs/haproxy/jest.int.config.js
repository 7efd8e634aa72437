/** Integration tests: real RabbitMQ, PostgreSQL and HAProxy (a fresh vhost and database per file). */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'haproxy:integration',
  roots: ['<rootDir>/libs/haproxy'],
  testMatch: ['**/*.int-spec.ts'],
  testTimeout: 60000,
};
