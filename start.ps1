# Open the course on Windows (PowerShell):  .\start.ps1          (JupyterLab, lesson 00)
#                                           .\start.ps1 --voila  (the no-code app view)
# The first run makes a private Python environment in .venv and installs the course into it
# (a few minutes); later runs reinstall only when requirements.txt or pyproject.toml changed.
# Nothing is installed outside this folder. --dry-run prints the server command instead.
# If PowerShell refuses to run scripts, use:  powershell -ExecutionPolicy Bypass -File start.ps1
$ErrorActionPreference = "Stop"
Set-Location -Path $PSScriptRoot

$Venv = ".venv"
$Stamp = Join-Path $Venv "course-requirements.sha256"
$VersionCheck = "import sys; sys.exit(sys.version_info < (3, 11))"

function Fail([string]$Message) {
    [Console]::Error.WriteLine($Message)
    exit 1
}

# A Python of at least 3.11: OC_PYTHON, then the py launcher, then python/python3 on PATH.
$Python = $null
$Candidates = @()
if ($env:OC_PYTHON) { $Candidates += , @($env:OC_PYTHON) }
$Candidates += , @("py", "-3")
$Candidates += , @("python")
$Candidates += , @("python3")
foreach ($Candidate in $Candidates) {
    if (-not (Get-Command $Candidate[0] -ErrorAction SilentlyContinue)) { continue }
    $Rest = @($Candidate | Select-Object -Skip 1)
    & $Candidate[0] @Rest -c $VersionCheck 2>$null
    if ($LASTEXITCODE -eq 0) { $Python = $Candidate; break }
}
if (-not $Python) {
    Fail ("The course needs Python 3.11 or newer. Install it from " +
        "https://www.python.org/downloads/ (tick 'Add python.exe to PATH'), " +
        "then run .\start.ps1 again.")
}
$PythonArgs = @($Python | Select-Object -Skip 1)
$Py = Join-Path $Venv "Scripts\python.exe"

# An environment that an interrupted run left half made (no working pip) is made again.
if (Test-Path $Venv) {
    $PipWorks = $false
    if (Test-Path $Py) {
        & $Py -m pip --version *> $null
        $PipWorks = ($LASTEXITCODE -eq 0)
    }
    if (-not $PipWorks) {
        Write-Host "The course environment in $Venv is incomplete: making it again."
        Remove-Item -Recurse -Force $Venv
    }
}

if (-not (Test-Path $Venv)) {
    & $Python[0] @PythonArgs -c "import venv, ensurepip" 2>$null
    if ($LASTEXITCODE -ne 0) {
        Fail ("Python's 'venv' module is missing, so the course cannot make its environment. " +
            "Reinstall Python from https://www.python.org/downloads/, then run .\start.ps1 again.")
    }
    Write-Host "Making the course's Python environment in $Venv (first run only)..."
    & $Python[0] @PythonArgs -m venv $Venv
    if ($LASTEXITCODE -ne 0) { Fail "Could not make $Venv (see the message above)." }
}

$Digest = [System.Security.Cryptography.SHA256]::Create()
$Bytes = [System.IO.File]::ReadAllBytes((Join-Path $PSScriptRoot "requirements.txt")) +
    [System.IO.File]::ReadAllBytes((Join-Path $PSScriptRoot "pyproject.toml"))
$Wanted = -join ($Digest.ComputeHash($Bytes) | ForEach-Object { $_.ToString("x2") })
$Have = if (Test-Path $Stamp) { (Get-Content $Stamp -Raw).Trim() } else { "" }
if ($Have -ne $Wanted) {
    Write-Host "Installing the course into $Venv (a few minutes the first time)..."
    & $Py -m pip install --disable-pip-version-check --quiet -r requirements.txt
    if ($LASTEXITCODE -ne 0) { Fail "Installing the course failed (see the message above)." }
    Set-Content -Path $Stamp -Value $Wanted
} else {
    Write-Host "The course is installed and up to date."
}

& $Py tools/launch.py @args
exit $LASTEXITCODE
