FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY erp erp
COPY orders orders
COPY materials materials
COPY production production
COPY crm crm
COPY reports reports
RUN pip install .
COPY . .
RUN DJANGO_DEBUG=0 DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput \
 && python manage.py compilemessages --ignore=.venv -v0 || true
RUN useradd --create-home erp && chown -R erp /app
USER erp
EXPOSE 8000
# gunicorn.conf.py: workers from WEB_WORKERS or the CPUs, port 8000, timeout 120 s
CMD ["gunicorn", "erp.wsgi:application"]
