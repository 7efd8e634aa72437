#!/usr/bin/env bash
# Lays out an Nx project with the targets every Conveyor project has.
# usage: tools/scripts/new-project.sh <apps|libs> <name> <tags comma-separated>
set -euo pipefail
kind=$1; name=$2; tags=$3
dir="$kind/$name"
mkdir -p "$dir/src"
depth="../.."
tagjson=$(printf '%s' "$tags" | awk -F, '{for(i=1;i<=NF;i++){printf "%s\"%s\"", (i>1?", ":""), $i}}')
ptype=$([ "$kind" = apps ] && echo application || echo library)
cat > "$dir/project.json" <<JSON
{
  "name": "$name",
  "\$schema": "$depth/node_modules/nx/schemas/project-schema.json",
  "sourceRoot": "$dir/src",
  "projectType": "$ptype",
  "tags": [$tagjson],
  "targets": {
    "build": {},
    "typecheck": {},
    "lint": {},
    "test": {},
    "test-integration": {}
  }
}
JSON
cat > "$dir/tsconfig.json" <<JSON
{
  "extends": "$depth/tsconfig.base.json",
  "compilerOptions": { "types": ["node", "jest"], "noEmit": true },
  "include": ["src/**/*.ts"]
}
JSON
cat > "$dir/tsconfig.build.json" <<JSON
{
  "extends": "$depth/tsconfig.base.json",
  "compilerOptions": { "outDir": "$depth/dist/out-tsc", "noEmit": false },
  "include": ["src/**/*.ts"],
  "exclude": ["src/**/*.spec.ts", "src/**/*.int-spec.ts", "src/**/testing/**"]
}
JSON
cat > "$dir/jest.config.js" <<JS
/** Unit tests: pure logic, no I/O. */
module.exports = {
  ...require('$depth/jest.preset.js'),
  displayName: '$name',
  roots: ['<rootDir>/$dir'],
  testMatch: ['**/*.spec.ts'],
};
JS
cat > "$dir/jest.int.config.js" <<JS
/** Integration tests: real RabbitMQ, PostgreSQL and HAProxy (a fresh vhost and database per file). */
module.exports = {
  ...require('$depth/jest.preset.js'),
  displayName: '$name:integration',
  roots: ['<rootDir>/$dir'],
  testMatch: ['**/*.int-spec.ts'],
  testTimeout: 60000,
};
JS
