# start hook (Windows): start this release as a detached process and write its pid file.
$ErrorActionPreference = 'Stop'
New-Item -ItemType Directory -Force -Path $env:CONVEYOR_STATE_DIR | Out-Null
$env:PORT = $env:CONVEYOR_PORT
$env:SERVER_ID = $env:CONVEYOR_SERVER_ID
$process = Start-Process -FilePath 'node' -ArgumentList "`"$(Join-Path $env:CONVEYOR_RELEASE_DIR 'server.js')`"" `
  -WorkingDirectory $env:CONVEYOR_RELEASE_DIR -WindowStyle Hidden -PassThru `
  -RedirectStandardOutput (Join-Path $env:CONVEYOR_STATE_DIR 'app.log') `
  -RedirectStandardError (Join-Path $env:CONVEYOR_STATE_DIR 'app.err.log')
Set-Content -Path (Join-Path $env:CONVEYOR_STATE_DIR 'app.pid') -Value $process.Id
Write-Output "start: started pid $($process.Id) on port $env:CONVEYOR_PORT"
