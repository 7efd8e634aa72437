/** Unit tests: pure logic, no I/O. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'signing-keys',
  roots: ['<rootDir>/libs/signing-keys'],
  testMatch: ['**/*.spec.ts'],
};
