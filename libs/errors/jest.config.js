/** Unit tests: pure logic, no I/O. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'errors',
  roots: ['<rootDir>/libs/errors'],
  testMatch: ['**/*.spec.ts'],
};
