#!/usr/bin/env node
'use strict';
// The `conveyor` command: registers @swc-node/register with the CLI's tsconfig (path aliases to
// the libraries' sources) and runs the TypeScript entry point. Works from any directory.
const path = require('node:path');

process.env.SWC_NODE_PROJECT = path.join(__dirname, '..', 'tsconfig.json');
require('@swc-node/register');
require('../src/main.ts');
