#!/bin/sh
# Waits for the database, applies migrations (web only), then runs the command.
set -e

python - <<'PY'
import os, sys, time
import django
django.setup()
from django.db import connection
for attempt in range(60):
    try:
        connection.ensure_connection()
        break
    except Exception as exc:  # the database container may still be starting
        print(f"waiting for the database ({exc.__class__.__name__})", file=sys.stderr)
        time.sleep(1)
else:
    sys.exit("the database did not answer within 60 s")
PY

if [ "${CLAUSE5_MIGRATE:-0}" = "1" ]; then
  python manage.py migrate --noinput
fi

exec "$@"
