# validate hook (Windows): succeed once /health answers 200 with this release's version.
$ErrorActionPreference = 'Stop'
$timeoutMs = if ($env:VALIDATE_TIMEOUT_MS) { $env:VALIDATE_TIMEOUT_MS } else { '20000' }
& node (Join-Path $env:CONVEYOR_RELEASE_DIR 'healthcheck.js') --port $env:CONVEYOR_PORT --version $env:CONVEYOR_VERSION `
  --timeout-ms $timeoutMs --pid-file (Join-Path $env:CONVEYOR_STATE_DIR 'app.pid')
exit $LASTEXITCODE
