/** Unit tests: pure logic, no I/O. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'persistence',
  roots: ['<rootDir>/libs/persistence'],
  testMatch: ['**/*.spec.ts'],
};
