"""Before the tests: are PostgreSQL and Redis reachable? Say clearly what to start if not."""

import os
import sys

import dj_database_url
import psycopg2
import redis

db = dj_database_url.parse(os.environ["DATABASE_URL"])
problems = []
try:
    psycopg2.connect(
        dbname="postgres",
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        connect_timeout=5,
    ).close()
except psycopg2.Error as exc:
    problems.append(
        f"PostgreSQL is not reachable at {db.get('HOST')}:{db.get('PORT')} ({exc}).\n"
        "  Start it (Debian: pg_ctlcluster <version> main start; Docker: docker compose up -d postgres)\n"
        "  or point DATABASE_URL at one (the user needs CREATEDB for the test database)."
    )
try:
    redis.Redis.from_url(os.environ["REDIS_URL"], socket_connect_timeout=5).ping()
except redis.RedisError as exc:
    problems.append(
        f"Redis is not reachable at {os.environ['REDIS_URL']} ({exc}).\n"
        "  Start it (redis-server --daemonize yes; Docker: docker compose up -d redis)\n"
        "  or point REDIS_URL at one."
    )
if problems:
    print("\n".join(problems), file=sys.stderr)
    sys.exit(2)
