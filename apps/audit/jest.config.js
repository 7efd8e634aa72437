/** Unit tests: pure logic, no I/O. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'audit',
  roots: ['<rootDir>/apps/audit'],
  testMatch: ['**/*.spec.ts'],
};
