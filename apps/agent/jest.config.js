/** Unit tests: pure logic, no I/O. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'agent',
  roots: ['<rootDir>/apps/agent'],
  testMatch: ['**/*.spec.ts'],
};
