# Clause5: the two commands of the README are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
export CLAUSE5_ORGANISATION_NAME ?= Northbridge Precision Components Ltd

.PHONY: run test install system-deps lint fmt checks pytest demo clean

## run: set up everything on this machine, load the demo organisation, start web + worker + beat
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Clause5 starts at http://127.0.0.1:$${PORT:-8000}/ (web, Celery workers and beat). Ctrl-C stops them all."
	$(BIN)/honcho start -f Procfile.dev

## test: install what is missing, then lint, checks and the whole test suite
test: install
	@bash scripts/system-deps.sh test
	$(MAKE) --no-print-directory lint checks pytest

install: system-deps $(STAMP)

system-deps:
	@bash scripts/system-deps.sh runtime

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $(STAMP)

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

checks:
	$(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=qms.settings.test $(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null
	DJANGO_SETTINGS_MODULE=qms.settings.production \
	  DJANGO_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  DJANGO_ALLOWED_HOSTS=clause5.example.com \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING
	POSTGRES_PASSWORD=check DJANGO_SECRET_KEY=check docker-compose -f docker-compose.yml config --quiet

pytest:
	$(BIN)/pytest -n auto

fmt:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo

clean:
	rm -rf var/celery var/staticfiles .pytest_cache .ruff_cache
