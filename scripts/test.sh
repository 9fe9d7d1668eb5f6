#!/usr/bin/env bash
# Quick start, second command: install what the tests need and run the whole suite against
# PostgreSQL and Redis (localhost unless DATABASE_URL / REDIS_URL say otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev]'

# Browser tests drive Debian's Chromium (Playwright's own browser download cannot work here).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Chromium for the browser tests (apt-get install chromium)..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is missing: install it with 'sudo apt-get install chromium', then run again." >&2
    exit 1
  fi
fi

export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/erp}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/15}
.venv/bin/python scripts/check_services.py

.venv/bin/ruff check .
.venv/bin/ruff format --check .
exec .venv/bin/python -m pytest "$@"
