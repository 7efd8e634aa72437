# after-install hook (Windows): confirm `current` points to this release.
$ErrorActionPreference = 'Stop'
$current = (Get-Item $env:CONVEYOR_CURRENT_DIR).Target
$release = (Resolve-Path $env:CONVEYOR_RELEASE_DIR).Path
if ($null -ne $current -and (Resolve-Path $current).Path -ne $release) {
  Write-Error "after-install: $env:CONVEYOR_CURRENT_DIR points to $current, expected $release"; exit 1
}
