/** Unit tests: pure logic, no I/O. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'messaging',
  roots: ['<rootDir>/libs/messaging'],
  testMatch: ['**/*.spec.ts'],
};
