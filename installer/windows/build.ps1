# Build the Windows installer from this checkout: dist\clinic-backoffice-<version>-windows-x86_64-setup.exe
# and dist\SHA256SUMS-windows. Needs uv and Inno Setup 6; signs when WINDOWS_CERTIFICATE_PATH is set.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")
$env:UV_PROJECT_ENVIRONMENT = "build\windows\venv"
$python = "build\windows\venv\Scripts\python.exe"

function Invoke-Checked([string]$Program, [string[]]$Arguments) {
    & $Program @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Program failed with exit code $LASTEXITCODE." }
}

function Invoke-Sign([string]$File) {
    if (-not $env:WINDOWS_CERTIFICATE_PATH) { return }
    Invoke-Checked "signtool.exe" @("sign", "/f", $env:WINDOWS_CERTIFICATE_PATH,
        "/p", $env:WINDOWS_CERTIFICATE_PASSWORD, "/fd", "SHA256",
        "/tr", "http://timestamp.digicert.com", "/td", "SHA256", $File)
}

Invoke-Checked "uv" @("sync", "--frozen", "--no-default-groups", "--group", "installer", "--no-editable")
$version = (& $python -c "import backoffice; print(backoffice.__version__)").Trim()
Invoke-Checked $python @("installer\make_icons.py", "build\icons")
Invoke-Checked "build\windows\venv\Scripts\pyinstaller.exe" @("--noconfirm", "--log-level", "WARN",
    "--workpath", "build\windows\pyinstaller", "--distpath", "dist", "installer\backoffice.spec")
Invoke-Sign "dist\clinic-backoffice\backoffice.exe"
Invoke-Sign "dist\clinic-backoffice\Clinic Back-office.exe"

$iscc = Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe"
Invoke-Checked $iscc @("/Q", "/DAppVersion=$version", "installer\windows\backoffice.iss")
$setup = "dist\clinic-backoffice-$version-windows-x86_64-setup.exe"
Invoke-Sign $setup

$hash = (Get-FileHash $setup -Algorithm SHA256).Hash.ToLower()
"$hash  $(Split-Path $setup -Leaf)" | Out-File -Encoding ascii "dist\SHA256SUMS-windows"
Get-Item $setup | Select-Object Name, Length
