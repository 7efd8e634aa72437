/** Unit tests: pure logic, no I/O. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'demo',
  roots: ['<rootDir>/tools/demo'],
  testMatch: ['**/*.spec.ts'],
};
