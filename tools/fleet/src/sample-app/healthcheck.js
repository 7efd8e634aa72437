'use strict';
/**
 * Validation probe used by the sample app's `validate` hook (dependency-free, runs from the artifact).
 *
 *   node healthcheck.js --port 8080 --version 1.2.0 [--timeout-ms 20000] [--pid-file state/app.pid]
 *
 * Polls http://127.0.0.1:<port>/health until it answers 200 with {"version": <version>}.
 * Exits 0 on success; exits 1 with a message naming the last answer (or error) when the timeout
 * passes, or at once when the process named in --pid-file has died.
 */
const http = require('node:http');
const fs = require('node:fs');

const POLL_INTERVAL_MS = 200;
const REQUEST_TIMEOUT_MS = 2000;

function parseArgs(argv) {
  const args = { timeoutMs: 20000 };
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i], argv[i + 1]];
    if (value === undefined) usage(`${name} needs a value`);
    if (name === '--port') args.port = Number(value);
    else if (name === '--version') args.version = value;
    else if (name === '--timeout-ms') args.timeoutMs = Number(value);
    else if (name === '--pid-file') args.pidFile = value;
    else usage(`unknown option ${name}`);
  }
  if (!Number.isInteger(args.port) || args.port < 1 || args.port > 65535) usage('--port must be 1..65535');
  if (!args.version) usage('--version is required');
  if (!Number.isInteger(args.timeoutMs) || args.timeoutMs < 0)
    usage('--timeout-ms must be a non-negative integer');
  return args;
}

function usage(message) {
  process.stderr.write(
    `healthcheck: ${message}\nusage: node healthcheck.js --port N --version V [--timeout-ms N] [--pid-file F]\n`,
  );
  process.exit(2);
}

function probe(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/health', timeout: REQUEST_TIMEOUT_MS }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', (error) => resolve({ error: error.code || error.message }));
  });
}

function processIsGone(pidFile) {
  if (!pidFile) return false;
  let pid;
  try {
    pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  } catch {
    return false;
  }
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return /^\S+\s+\S+\s+Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/\(.*\)/, 'x'));
  } catch {
    return false;
  }
}

function describe(result) {
  return result.error ? `error ${result.error}` : `HTTP ${result.status} ${result.body.slice(0, 200)}`;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const deadline = Date.now() + args.timeoutMs;
  for (;;) {
    const result = await probe(args.port);
    if (result.status === 200) {
      let version;
      try {
        version = JSON.parse(result.body).version;
      } catch {
        version = undefined;
      }
      if (version === args.version) {
        process.stdout.write(`healthcheck: port ${args.port} healthy with version ${version}\n`);
        return;
      }
      result.error = `wrong version: expected ${args.version}, /health says ${JSON.stringify(version)}`;
    }
    if (processIsGone(args.pidFile)) {
      process.stderr.write(
        `healthcheck: the process in ${args.pidFile} has exited; last answer: ${describe(result)}\n`,
      );
      process.exit(1);
    }
    if (Date.now() >= deadline) {
      process.stderr.write(
        `healthcheck: port ${args.port} not healthy with version ${args.version} after ${args.timeoutMs} ms; last answer: ${describe(result)}\n`,
      );
      process.exit(1);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

main().catch((error) => {
  process.stderr.write(`healthcheck: ${error.stack || error}\n`);
  process.exit(1);
});
