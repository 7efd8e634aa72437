/** Unit tests: pure logic, no I/O. */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'deploy-checks',
  roots: ['<rootDir>/tools/deploy-checks'],
  testMatch: ['**/*.spec.ts'],
};
