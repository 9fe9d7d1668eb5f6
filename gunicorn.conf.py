"""gunicorn's settings, read from the working directory by `gunicorn erp.wsgi:application`
(the Dockerfile and docker-compose.yml run it so). README "Load test" has the figures.

WEB_WORKERS   worker processes; default 2 x the CPUs this process may use + 1
WEB_THREADS   threads per worker (more than 1: gunicorn's gthread worker); default 1
WEB_BIND      address to listen on; default 0.0.0.0:8000
"""

import os

cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
bind = os.environ.get("WEB_BIND") or "0.0.0.0:8000"
workers = int(os.environ.get("WEB_WORKERS") or 2 * (cpus or 1) + 1)
threads = int(os.environ.get("WEB_THREADS") or 1)
timeout = 120
