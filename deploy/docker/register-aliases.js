// Resolves the workspace's `@conveyor/<lib>` imports to the compiled libraries in a built image
// (dist/libs/<lib>/src/index.js). Loaded with `node -r ./register-aliases.js`.
'use strict';
const Module = require('node:module');
const path = require('node:path');

const dist = process.env.CONVEYOR_DIST ?? path.join(__dirname, 'dist');
const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveConveyorAlias(request, parent, isMain, options) {
  const match = /^@conveyor\/([a-z0-9-]+)$/.exec(request);
  if (match) request = path.join(dist, 'libs', match[1], 'src', 'index.js');
  return resolve.call(this, request, parent, isMain, options);
};
