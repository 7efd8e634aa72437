/** Unit tests: pure logic, no I/O. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'planner',
  roots: ['<rootDir>/libs/planner'],
  testMatch: ['**/*.spec.ts'],
};
