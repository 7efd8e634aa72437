/** Unit tests: pure logic, no I/O. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'generators',
  roots: ['<rootDir>/tools/generators'],
  testMatch: ['**/*.spec.ts'],
};
