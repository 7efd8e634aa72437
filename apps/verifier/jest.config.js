/** Unit tests: pure logic, no I/O. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'verifier',
  roots: ['<rootDir>/apps/verifier'],
  testMatch: ['**/*.spec.ts'],
};
