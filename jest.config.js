// The whole suite: every project's unit and integration tests (npm test).
const fs = require('node:fs');
const path = require('node:path');

const configs = [];
for (const group of ['apps', 'libs', 'tools']) {
  const dir = path.join(__dirname, group);
  if (!fs.existsSync(dir)) continue;
  for (const name of fs.readdirSync(dir)) {
    for (const file of ['jest.config.js', 'jest.int.config.js']) {
      const config = path.join(dir, name, file);
      if (fs.existsSync(config)) configs.push(config);
    }
  }
}

// testTimeout is a global option: inside `projects` it would be ignored. Integration tests start real
// services and processes, and the machine may be busy.
module.exports = { projects: configs.sort(), testTimeout: 60_000 };
