# Keten — two commands do all set-up: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: docs-tables security-table demo test install install-python install-node migrate seed serve worker lint typecheck check-migrations openapi messages compilemessages bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==0.13.9

install-python: $(PY)
	$(UV) pip sync --quiet --python $(PY) --require-hashes requirements.lock
	$(UV) pip install --quiet --python $(PY) --no-deps -e .

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.package-lock.json

install-node: node_modules/.package-lock.json

install: install-python install-node

migrate: install
	mkdir -p var
	DJANGO_SETTINGS_MODULE=keten.conf.dev $(MANAGE) migrate --noinput

seed: migrate
	DJANGO_SETTINGS_MODULE=keten.conf.dev $(MANAGE) seed --profile demo --reset

serve:
	DJANGO_SETTINGS_MODULE=keten.conf.dev KETEN_TASKS_IMMEDIATE=true $(MANAGE) runserver --insecure $(HOST):$(PORT)

worker:
	DJANGO_SETTINGS_MODULE=keten.conf.dev $(MANAGE) db_worker

## demo: install everything, migrate SQLite under var/, load the demo municipality, print the logins, serve.
demo: seed serve

## test: the whole suite (unit, HTTP, API, browser) on $DATABASE_URL (SQLite by default).
test: install
	DJANGO_SETTINGS_MODULE=keten.conf.test $(PY) -m pytest $(PYTEST_ARGS)

lint: install-python
	$(VENV)/bin/ruff check src tests bench tools conftest.py
	$(VENV)/bin/ruff format --check src tests bench tools conftest.py
	PYTHONPATH=src $(VENV)/bin/lint-imports --no-cache

typecheck: install-python
	DJANGO_SETTINGS_MODULE=keten.conf.test $(VENV)/bin/mypy src

check-migrations: install-python
	DJANGO_SETTINGS_MODULE=keten.conf.test $(MANAGE) makemigrations --check --dry-run

openapi: install-python
	DJANGO_SETTINGS_MODULE=keten.conf.test $(MANAGE) spectacular --file docs/api/openapi.yaml --validate --fail-on-warn

messages: install-python
	cd src/keten && DJANGO_SETTINGS_MODULE=keten.conf.test ../../$(PY) ../../manage.py makemessages -l nl -l en --no-obsolete --no-location

compilemessages: install-python
	cd src/keten && DJANGO_SETTINGS_MODULE=keten.conf.test ../../$(PY) ../../manage.py compilemessages

## docs-tables: write the generated tables: "who may do what" in docs/security.md (from the route
## matrix) and the URL map in docs/urls.md (from the URL configuration).
docs-tables: install-python
	DJANGO_SETTINGS_MODULE=keten.conf.test $(PY) -c "import django; django.setup(); from keten.testing.route_matrix.docs import main; main(['docs/security.md'])"
	DJANGO_SETTINGS_MODULE=keten.conf.test $(PY) -c "import django; django.setup(); from keten.testing.route_matrix.urlmap import main; main(['docs/urls.md'])"

security-table: docs-tables

## bench: benchmarks on the `large` profile (PostgreSQL via $BENCH_DATABASE_URL).
bench: install
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf var/keten.sqlite3 .pytest_cache
