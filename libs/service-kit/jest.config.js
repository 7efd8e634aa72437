/** Unit tests: pure logic, no I/O. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'service-kit',
  roots: ['<rootDir>/libs/service-kit'],
  testMatch: ['**/*.spec.ts'],
};
