'use strict';
/**
 * Conveyor sample application: a dependency-free HTTP server that runs straight from an
 * unpacked artifact (`node server.js`).
 *
 * Environment:
 *   PORT        required, TCP port to listen on (0 = any free port)
 *   APP_VERSION optional, overrides the VERSION file next to this script
 *   SERVER_ID   optional, the fleet server's id (default "unknown")
 *   BROKEN      "1" makes /health answer 500 (also on when a BROKEN file sits next to this script)
 *   GRACE_MS    optional, how long in-flight requests may run after SIGTERM (default 10000, max 60000)
 *   HOST        optional, bind address (default 127.0.0.1)
 *
 * Routes: GET /health, GET /version, GET /, GET /slow?ms=N (0..30000).
 */
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');

const MAX_SLOW_MS = 30000;
const MAX_GRACE_MS = 60000;

/**
 * The BROKEN marker file breaks /health. A line `SERVER_PREFIX=<p>` in it limits that to servers whose
 * id starts with <p> — a defect that shows only with production's configuration.
 */
function brokenByMarker(serverId) {
  const marker = path.join(__dirname, 'BROKEN');
  if (!fs.existsSync(marker)) return false;
  const prefix = /^SERVER_PREFIX=(\S+)$/m.exec(fs.readFileSync(marker, 'utf8'));
  return prefix ? serverId.startsWith(prefix[1]) : true;
}

function fail(message) {
  process.stderr.write(`sample-app: ${message}\n`);
  process.exit(2);
}

function readConfig() {
  const portText = process.env.PORT;
  if (portText === undefined || !/^\d+$/.test(portText) || Number(portText) > 65535) {
    fail(`PORT must be an integer 0..65535, got ${JSON.stringify(portText)}`);
  }
  let version = process.env.APP_VERSION;
  if (!version) {
    const versionFile = path.join(__dirname, 'VERSION');
    try {
      version = fs.readFileSync(versionFile, 'utf8').trim();
    } catch (error) {
      fail(`APP_VERSION is not set and ${versionFile} cannot be read (${error.code || error.message})`);
    }
    if (!version) fail(`APP_VERSION is not set and ${versionFile} is empty`);
  }
  const graceText = process.env.GRACE_MS || '10000';
  if (!/^\d+$/.test(graceText) || Number(graceText) > MAX_GRACE_MS) {
    fail(`GRACE_MS must be an integer 0..${MAX_GRACE_MS}, got ${JSON.stringify(graceText)}`);
  }
  return {
    port: Number(portText),
    host: process.env.HOST || '127.0.0.1',
    version,
    serverId: process.env.SERVER_ID || 'unknown',
    broken: process.env.BROKEN === '1' || brokenByMarker(process.env.SERVER_ID || 'unknown'),
    graceMs: Number(graceText),
  };
}

function log(event, fields) {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), event, ...fields })}\n`);
}

const config = readConfig();
let shuttingDown = false;

function sendJson(res, status, body) {
  const text = JSON.stringify(body);
  const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) };
  if (shuttingDown) headers.connection = 'close';
  res.writeHead(status, headers);
  res.end(text);
}

function handleSlow(url, res) {
  const msText = url.searchParams.get('ms') || '0';
  if (!/^\d+$/.test(msText) || Number(msText) > MAX_SLOW_MS) {
    sendJson(res, 400, { error: `ms must be an integer 0..${MAX_SLOW_MS}, got ${JSON.stringify(msText)}` });
    return;
  }
  const ms = Number(msText);
  const timer = setTimeout(
    () => sendJson(res, 200, { version: config.version, serverId: config.serverId, sleptMs: ms }),
    ms,
  );
  res.on('close', () => clearTimeout(timer));
}

function handle(req, res) {
  const url = new URL(req.url || '/', 'http://localhost');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendJson(res, 405, { error: `method ${req.method} not allowed` });
    return;
  }
  switch (url.pathname) {
    case '/health':
      if (config.broken) sendJson(res, 500, { status: 'broken', version: config.version });
      else sendJson(res, 200, { status: 'ok', version: config.version });
      return;
    case '/version':
      sendJson(res, 200, { version: config.version, serverId: config.serverId });
      return;
    case '/':
      sendJson(res, 200, { app: 'conveyor-sample-app', version: config.version, serverId: config.serverId });
      return;
    case '/slow':
      handleSlow(url, res);
      return;
    default:
      sendJson(res, 404, { error: `no route ${url.pathname}` });
  }
}

const server = http.createServer(handle);
server.keepAliveTimeout = 5000;

server.on('error', (error) =>
  fail(`cannot listen on ${config.host}:${config.port} (${error.code || error.message})`),
);

server.listen(config.port, config.host, () => {
  const address = server.address();
  log('listening', {
    port: address.port,
    version: config.version,
    serverId: config.serverId,
    broken: config.broken,
    pid: process.pid,
  });
});

/** Graceful stop: no new connections, idle keep-alive sockets closed, in-flight requests finish within graceMs. */
function shutdown(signal) {
  if (shuttingDown) return;
  shuttingDown = true;
  log('stopping', { signal, graceMs: config.graceMs });
  const forceTimer = setTimeout(() => {
    log('grace period over, closing remaining connections', { graceMs: config.graceMs });
    server.closeAllConnections();
    process.exit(1);
  }, config.graceMs);
  forceTimer.unref();
  server.close(() => {
    log('stopped', { signal });
    process.exit(0);
  });
  server.closeIdleConnections();
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
