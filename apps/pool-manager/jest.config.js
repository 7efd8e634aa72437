/** Unit tests: pure logic, no I/O. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'pool-manager',
  roots: ['<rootDir>/apps/pool-manager'],
  testMatch: ['**/*.spec.ts'],
};
