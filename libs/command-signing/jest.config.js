/** Unit tests: pure logic, no I/O. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'command-signing',
  roots: ['<rootDir>/libs/command-signing'],
  testMatch: ['**/*.spec.ts'],
};
