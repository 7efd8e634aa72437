/** Unit tests: pure logic, no I/O. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'cli',
  roots: ['<rootDir>/apps/cli'],
  testMatch: ['**/*.spec.ts'],
};
