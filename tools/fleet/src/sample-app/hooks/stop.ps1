# stop hook (Windows): stop the release running on this server. Idempotent.
# Windows has no SIGTERM for a detached process: this is a hard stop, acceptable because the
# stop hook runs only after HAProxy drained the server (no request is in flight any more).
$ErrorActionPreference = 'Stop'
$pidFile = Join-Path $env:CONVEYOR_STATE_DIR 'app.pid'
if (-not (Test-Path $pidFile)) { Write-Output "stop: no pid file at $pidFile, nothing to stop"; exit 0 }
$appPid = [int](Get-Content $pidFile -Raw).Trim()
$process = Get-Process -Id $appPid -ErrorAction SilentlyContinue
if ($null -ne $process -and $process.ProcessName -eq 'node') {
  Stop-Process -Id $appPid -Force
  if (-not $process.WaitForExit(10000)) { Write-Error "stop: process $appPid did not exit"; exit 1 }
}
Remove-Item $pidFile -Force
Write-Output "stop: $appPid stopped"
