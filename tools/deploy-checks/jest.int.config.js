/** Integration tests: real RabbitMQ, PostgreSQL and HAProxy (a fresh vhost and database per file). */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'deploy-checks:integration',
  roots: ['<rootDir>/tools/deploy-checks'],
  testMatch: ['**/*.int-spec.ts'],
  testTimeout: 60000,
};
