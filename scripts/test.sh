#!/usr/bin/env bash
# Quick start, command 2: install what the tests need, then run the whole suite.
# Arguments are passed to pytest: bash scripts/test.sh tests/unit -q
# Installs Debian's Chromium and CJK fonts (skipped when already present); never downloads a
# browser of its own (no `playwright install`).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "test.sh: need root or sudo to run: $*" >&2
        exit 1
    fi
}

have_cjk_fonts() {
    local families
    command -v fc-list >/dev/null 2>&1 || return 1
    families="$(fc-list : family 2>/dev/null || true)"
    [[ "$families" == *"Noto Sans CJK"* || "$families" == *"Noto Serif CJK"* ]]
}

packages=(chromium fonts-noto-cjk)
command -v java >/dev/null 2>&1 || packages+=(default-jre-headless)  # the Nu Html Checker
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)  # Lighthouse, vnu-jar, axe-core
command -v pdftoppm >/dev/null 2>&1 || packages+=(poppler-utils)  # the notice's print test: pdfinfo, pdftoppm
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || packages+=(nginx)  # tests/test_nginx.py
command -v rclone >/dev/null 2>&1 || packages+=(rclone)  # tests/test_deploy.py: the plan carried out
need_venv=0
if [ ! -x .venv/bin/python ] && ! "$PYTHON" -c 'import ensurepip' >/dev/null 2>&1; then
    need_venv=1  # Debian's Python needs python3-venv to create a venv
    packages+=(python3-venv)
fi
if [ "$need_venv" -eq 0 ] && [ "${#packages[@]}" -eq 2 ] && [ -x /usr/bin/chromium ] && have_cjk_fonts; then
    echo "==> Chromium, CJK fonts, Java, npm and poppler-utils already installed; skipping apt"
else
    echo "==> Installing ${packages[*]} with apt"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "${packages[@]}"
fi

if [ ! -x .venv/bin/python ]; then
    echo "==> Creating .venv"
    "$PYTHON" -m venv .venv
fi

echo "==> Installing Gongshi and its test dependencies into .venv"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'

echo "==> Installing the quality-gate tools (npm ci: vnu-jar, lighthouse, axe-core)"
# vnu-jar's install script would download a Java runtime; Java is installed above instead.
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error

echo "==> Running the test suite"
exec .venv/bin/python -m pytest "$@"
