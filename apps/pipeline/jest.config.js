/** Unit tests: pure logic, no I/O. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'pipeline',
  roots: ['<rootDir>/apps/pipeline'],
  testMatch: ['**/*.spec.ts'],
};
