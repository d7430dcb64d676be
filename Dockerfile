# Clause5 production image: gunicorn web, Celery worker and beat all run from it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=qms.settings.production

# WeasyPrint's libraries and fonts; pg_dump and pg_restore (for `manage.py backup` and `restore`),
# whose major version, 15 on bookworm, matches the server in docker-compose.yml.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation \
       postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 clause5
WORKDIR /app

COPY pyproject.toml README.md ./
COPY qms ./qms
COPY leadership ./leadership
COPY objectives ./objectives
COPY reviews ./reviews
COPY evidence ./evidence
RUN pip install --upgrade pip && pip install .

COPY manage.py ./
COPY templates ./templates
COPY static ./static
COPY docker/entrypoint.sh /usr/local/bin/clause5-entrypoint

# collectstatic needs a key but no database.
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media && chown -R clause5:clause5 /app/var

USER clause5
EXPOSE 8000
ENTRYPOINT ["clause5-entrypoint"]
CMD ["gunicorn", "qms.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
