/** Unit tests: pure logic, no I/O. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'orchestrator',
  roots: ['<rootDir>/apps/orchestrator'],
  testMatch: ['**/*.spec.ts'],
};
