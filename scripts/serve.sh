#!/usr/bin/env bash
# Quick start, first command: install everything into .venv, set up the embedded SQLite
# database with the demo factory, print the logins, and serve http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py compilemessages --ignore=.venv -v0 2>/dev/null || true
.venv/bin/python manage.py load_demo
echo
echo "Serving the factory ERP on http://127.0.0.1:${PORT:-8000}  (Ctrl-C stops it)"
exec .venv/bin/python manage.py runserver "127.0.0.1:${PORT:-8000}"
