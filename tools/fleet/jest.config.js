/** Unit tests: pure logic, no I/O. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'fleet',
  roots: ['<rootDir>/tools/fleet'],
  testMatch: ['**/*.spec.ts'],
};
