#!/usr/bin/env bash
# Create .venv with the pinned runtime requirements (requirements.txt). With --tests also install the
# build and test tools (requirements-dev.txt: the Dask path, the map/gazetteer build, pytest, Playwright,
# ruff), Debian's chromium for the browser tests (Playwright drives /usr/bin/chromium, never a
# downloaded browser) and nginx for the hosted sign-in test.
set -euo pipefail
cd "$(dirname "$0")/.."
install() {  # install requirement file $1 unless it is unchanged since the last install
  local stamp=".venv/.installed-$(basename "$1" .txt)"
  if [ ! -f "$stamp" ] || [ "$1" -nt "$stamp" ] || [ requirements.txt -nt "$stamp" ]; then
    .venv/bin/pip install -q --disable-pip-version-check -r "$1"
    touch "$stamp"
  fi
}
[ -x .venv/bin/python ] || python3 -m venv .venv
install requirements.txt
if [ "${1:-}" = "--tests" ]; then
  install requirements-dev.txt
  # Debian's chromium for the browser tests, nginx for the hosted sign-in test (tests/test_hosted_signin.py)
  missing=""
  [ -x /usr/bin/chromium ] || missing="$missing chromium"
  [ -x /usr/sbin/nginx ] || missing="$missing nginx"
  if [ -n "$missing" ]; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -q && $SUDO apt-get install -y -q $missing
  fi
fi
