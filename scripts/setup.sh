#!/usr/bin/env bash
# Quick start, command 1: install Gongshi into .venv and build the bundled portal into output/.
# Works on a fresh Debian 12 with Python 3.11, as root or as a user with sudo; safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "setup.sh: need root or sudo to run: $*" >&2
        exit 1
    fi
}

if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "setup.sh: $PYTHON not found; install Python 3.11 (Debian 12: apt-get install python3)" >&2
    exit 1
fi

if [ ! -x .venv/bin/python ]; then
    if ! "$PYTHON" -c 'import ensurepip' >/dev/null 2>&1; then
        echo "==> Installing python3-venv (Debian's Python needs it to create a venv)"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv
    fi
    echo "==> Creating .venv"
    "$PYTHON" -m venv .venv
fi

echo "==> Installing Gongshi into .venv"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .

echo "==> Building the bundled portal into output/"
.venv/bin/gongshi build

cat <<'MSG'

Done. To preview the portal, run

    .venv/bin/python -m http.server -d output 8000

then open http://127.0.0.1:8000/ in a browser (Ctrl+C stops the server).
Editors: see docs/editor-guide.md; check content with `.venv/bin/gongshi check`.
MSG
