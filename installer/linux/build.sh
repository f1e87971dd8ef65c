#!/usr/bin/env bash
# Build the Linux bundle from this checkout: dist/clinic-backoffice-<version>-linux-x86_64.tar.gz,
# dist/clinic-backoffice_<version>_amd64.deb and dist/SHA256SUMS. Needs uv and the Debian packages
# of .ci/install-system-packages; the build's own Python environment lives in build/linux/venv.
set -euo pipefail
cd "$(dirname "$0")/../.."
export UV_PYTHON_DOWNLOADS=never UV_LINK_MODE="${UV_LINK_MODE:-copy}"
build=build/linux
venv="$build/venv"

echo "== the build environment: runtime dependencies and PyInstaller, the project as a wheel"
UV_PROJECT_ENVIRONMENT="$venv" uv sync --frozen --quiet --no-default-groups --group installer --no-editable
version="$("$venv/bin/python" -c 'import backoffice; print(backoffice.__version__)')"

echo "== PyInstaller"
rm -rf "$build/pyinstaller" dist/clinic-backoffice
"$venv/bin/pyinstaller" --noconfirm --log-level WARN \
    --workpath "$build/pyinstaller" --distpath dist installer/backoffice.spec

installer/linux/package.sh "$version"
