/** Unit tests: pure logic, no I/O. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'contracts',
  roots: ['<rootDir>/libs/contracts'],
  testMatch: ['**/*.spec.ts'],
};
