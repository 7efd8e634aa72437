/** Unit tests: pure logic, no I/O. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'audit-chain',
  roots: ['<rootDir>/libs/audit-chain'],
  testMatch: ['**/*.spec.ts'],
};
