#!/usr/bin/env bash
# Translations: collect every msgid of the project's Python and templates into
# locale/zh_Hans/LC_MESSAGES/django.po (new strings get an empty msgstr), then compile the
# .mo files Django reads. Fill the new msgstr entries and run it again.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
mkdir -p locale
IGNORES=(--ignore=.venv --ignore=staticfiles --ignore=var --ignore=node_modules --ignore=build
         --ignore='*.egg-info' --ignore=.git --ignore=.pytest_cache)
"$PY" manage.py makemessages -l zh_Hans --no-obsolete "${IGNORES[@]}"
"$PY" manage.py compilemessages -l zh_Hans "${IGNORES[@]}"
msgfmt --statistics -o /dev/null locale/zh_Hans/LC_MESSAGES/django.po 2>&1 | sed 's/^/zh_Hans: /'
