# before-install hook (Windows): check node and the artifact's version, create the state dir.
$ErrorActionPreference = 'Stop'
if (-not (Get-Command node -ErrorAction SilentlyContinue)) { Write-Error 'before-install: node is not on PATH'; exit 1 }
$artifactVersion = (Get-Content (Join-Path $env:CONVEYOR_RELEASE_DIR 'VERSION') -Raw).Trim()
if ($artifactVersion -ne $env:CONVEYOR_VERSION) {
  Write-Error "before-install: artifact says version $artifactVersion but CONVEYOR_VERSION is $env:CONVEYOR_VERSION"; exit 1
}
New-Item -ItemType Directory -Force -Path $env:CONVEYOR_STATE_DIR | Out-Null
