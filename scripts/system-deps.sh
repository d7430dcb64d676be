#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Clause5 needs, only those missing.
#   scripts/system-deps.sh runtime   WeasyPrint's libraries and fonts (for `make run`), PostgreSQL's client tools
#   scripts/system-deps.sh test      the above, plus docker-compose (to validate the compose file),
#                                    poppler-utils (PDF checks) and chromium (browser tests)
#   scripts/system-deps.sh bench     the runtime ones, plus wrk (requests per second in bench/run.py)
# As root it runs apt-get; otherwise it prints the command to run and, for `test`, fails.
set -euo pipefail

group="${1:-runtime}"
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation)
# pg_dump and pg_restore for `manage.py backup` and `restore` on PostgreSQL (the same major version
# as the server: Debian 12's is 15).
packages+=(postgresql-client)
if [ "$group" = "test" ]; then
  # chromium runs the browser tests (Playwright drives it; it cannot download its own here).
  packages+=(docker-compose poppler-utils chromium)
fi
if [ "$group" = "bench" ]; then
  # wrk drives the load for the requests-per-second rows of bench/run.py.
  packages+=(wrk)
fi

# A Python without ensurepip cannot create the virtualenv (Debian splits it into pythonX.Y-venv).
python_bin="${PYTHON:-python3.11}"
if command -v "$python_bin" >/dev/null 2>&1 && ! "$python_bin" -c "import ensurepip" >/dev/null 2>&1; then
  packages+=("$(basename "$python_bin")-venv")
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "system-deps: not a Debian-based system; install the equivalents of: ${packages[*]}" >&2
  exit 0
fi

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  echo "system-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "system-deps: missing Debian packages: ${missing[*]}" >&2
  echo "system-deps: install them with: sudo apt-get install ${missing[*]}" >&2
  if [ "$group" = "test" ]; then
    exit 1
  fi
fi
