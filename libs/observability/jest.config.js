/** Unit tests: pure logic, no I/O. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'observability',
  roots: ['<rootDir>/libs/observability'],
  testMatch: ['**/*.spec.ts'],
};
