/** Unit tests: pure logic, no I/O. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'haproxy',
  roots: ['<rootDir>/libs/haproxy'],
  testMatch: ['**/*.spec.ts'],
};
