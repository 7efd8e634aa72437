/** Integration tests: a generated service type-checked, linted and booted against real RabbitMQ and PostgreSQL. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'generators:integration',
  roots: ['<rootDir>/tools/generators'],
  testMatch: ['**/*.int-spec.ts'],
  testTimeout: 120000,
};
