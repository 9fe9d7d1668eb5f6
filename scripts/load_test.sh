#!/usr/bin/env bash
# Load test (README "Load test"): a PostgreSQL database with the demo factory, gunicorn as
# docker-compose.yml runs it (gunicorn.conf.py), scripts/load_test.py against it, then
# gunicorn stopped. Extra arguments go to load_test.py (--seconds 30, --pick-share 0.1 ...).
#
#   scripts/load_test.sh                      # 20 clients, 60 s, demo factory "small"
#   CLIENTS=40 WEB_WORKERS=4 scripts/load_test.sh --seconds 30
#   LOAD_FRESH=1 SCALE=mid scripts/load_test.sh   # drop and rebuild the database first
#
# Environment: LOAD_DATABASE_URL (postgres://postgres@127.0.0.1:5432/erp_load; created if
# missing, the user needs CREATEDB), LOAD_REDIS_URL (redis://127.0.0.1:6379/12), PORT
# (8765), CLIENTS (20), DURATION (60 s), SCALE (small), WEB_WORKERS / WEB_THREADS
# (gunicorn.conf.py defaults), LOAD_FRESH=1. Needs .venv (scripts/serve.sh makes it).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
export DATABASE_URL=${LOAD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/erp_load}
export REDIS_URL=${LOAD_REDIS_URL:-redis://127.0.0.1:6379/12}
export DJANGO_DEBUG=0 DJANGO_SECURE_SSL_REDIRECT=0
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-load-test-only-not-a-secret-0123456789abcdefghij}
PORT=${PORT:-8765}
CLIENTS=${CLIENTS:-20}

"$PY" - <<'EOF'
import os
import dj_database_url
import psycopg2
from psycopg2 import sql

db = dj_database_url.parse(os.environ["DATABASE_URL"])
conn = psycopg2.connect(
    dbname="postgres", user=db["USER"] or None, password=db["PASSWORD"] or None,
    host=db["HOST"] or None, port=db["PORT"] or None,
)
conn.autocommit = True
with conn.cursor() as cur:
    if os.environ.get("LOAD_FRESH") == "1":
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(db["NAME"])))
    cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
    if not cur.fetchone():
        cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
        print(f"created database {db['NAME']}")
EOF
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py load_demo --scale "${SCALE:-small}" | grep -v -e "password:" -e "^Logins" -e "^$" || true
"$PY" manage.py collectstatic --noinput -v0
.venv/bin/celery -A erp purge -f >/dev/null 2>&1 || true  # tasks queued by earlier runs
# One user of the warehouse role per client (reads and picks), each with its API token: a
# factory's 20 clerks are 20 users, and the per-user API rate counts them apart.
LOAD_TOKENS=$("$PY" manage.py shell -v0 -c "
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
group = Group.objects.get(name='warehouse')
keys = []
for n in range(1, $CLIENTS + 1):
    user, created = User.objects.get_or_create(username=f'load{n:02d}')
    if created:
        user.set_unusable_password()
        user.save()
    user.groups.add(group)
    keys.append(Token.objects.get_or_create(user=user)[0].key)
print(','.join(keys))
" 2>/dev/null | tail -n 1)
export LOAD_TOKENS

mkdir -p var
.venv/bin/gunicorn erp.wsgi:application --config gunicorn.conf.py --bind "127.0.0.1:$PORT" \
    >var/load_test_gunicorn.log 2>&1 &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null; wait $GUNICORN 2>/dev/null || true' EXIT
"$PY" - "$PORT" <<'EOF'
import sys, time, urllib.request

for _ in range(120):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/healthz", timeout=5)
        break
    except OSError:
        time.sleep(0.5)
else:
    sys.exit("gunicorn did not answer /healthz: see var/load_test_gunicorn.log")
EOF
echo "gunicorn $(grep -m1 -o 'Using worker: .*' var/load_test_gunicorn.log || true)," \
    "$(grep -c 'Booting worker' var/load_test_gunicorn.log) workers; $(nproc) cores," \
    "$(free -g | awk '/Mem:/ {print $2}') GB RAM; load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$PY" scripts/load_test.py --url "http://127.0.0.1:$PORT" --clients "$CLIENTS" \
    --seconds "${DURATION:-60}" "$@"
