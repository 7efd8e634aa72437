/** Unit tests: pure logic, no I/O. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'testing',
  roots: ['<rootDir>/libs/testing'],
  testMatch: ['**/*.spec.ts'],
};
