# Tandem: the two commands of the README, and a few helpers.
#
#   make demo    virtualenv + dependencies, migrate, load the demo world, serve on http://127.0.0.1:8000
#                (with the background task worker and the hourly deadline scan beside the server)
#   make test    virtualenv + dependencies, then the whole test suite (fails if any test fails)
#
# Helpers: make lint (ruff and mypy), make check-deploy, make venv, make chromium.
# Variables: PYTHON (interpreter for the virtualenv), HOST, PORT, PYTEST_WORKERS (0 = serial), PYTEST_ARGS.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=
CHROMIUM := $(or $(CHROMIUM_PATH),/usr/bin/chromium)

export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help venv demo test lint check-deploy chromium bench bench-scale screenshots mutate messages serve-prod loadtest prod-check

help:
	@echo "make demo          serve the demo on http://$(HOST):$(PORT) (SQLite unless DATABASE_URL is set)"
	@echo "make test          run the whole test suite"
	@echo "make lint          ruff check + ruff format --check + mypy"
	@echo "make check-deploy  Django's deployment checks with production settings"
	@echo "make bench         query counts and response times of the main pages on a fresh demo database"
	@echo "make bench-scale   the national-scale dataset on PostgreSQL (DATABASE_URL), then bench_scale's table"
	@echo "make mutate        mutation testing of the access modules (mutmut; slow, not in CI)"
	@echo "make serve-prod    the production topology here: gunicorn, PostgreSQL, Redis, RQ worker (docs/deploy.md)"
	@echo "make loadtest      the load test against a running make serve-prod (PORT, LOADTEST_SECONDS)"
	@echo "make prod-check    start the topology, load test, fault test, backup-restore, stop (.ci/prod-check)"

# The virtualenv is (re)installed only when a requirements or constraints file is newer than the stamp.
$(STAMP): requirements.txt requirements-dev.txt constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Tandem needs Python 3.11 or newer; $(PYTHON) is $$($(PYTHON) --version 2>&1)." >&2; exit 1; }
	@test -x $(PY) || { echo "Creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	@touch $@

venv: $(STAMP)

demo: $(STAMP)
	@$(PY) -c 'import socket, sys; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); \
		sys.exit(s.bind(("$(HOST)", $(PORT))))' 2>/dev/null || \
		{ echo "Port $(PORT) on $(HOST) is in use: stop what runs there, or choose another port: make demo PORT=8001" >&2; exit 1; }
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_jurisdictions
	$(PY) manage.py load_demo
	@echo
	@echo "Tandem is starting on http://$(HOST):$(PORT)/ - sign in with a login above. Stop with Ctrl+C."
	@echo "Beside it: the background worker (manage.py db_worker) and the hourly deadline scan (manage.py run_scheduled)."
	$(PY) manage.py db_worker --no-reload --interval 2 & worker=$$!; \
	$(PY) manage.py run_scheduled --every 3600 & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# The README's screenshots, from a throwaway SQLite demo database (var/screens.sqlite3), in Debian's Chromium.
screenshots: $(STAMP) chromium
	rm -f var/screens.sqlite3*
	$(PY) ops/screenshots.py

# The benchmark builds its own throwaway SQLite demo database (var/bench.sqlite3), or uses DATABASE_URL.
bench: $(STAMP)
	rm -f var/bench.sqlite3*
	SQLITE_PATH=var/bench.sqlite3 $(PY) manage.py migrate --noinput -v 0
	SQLITE_PATH=var/bench.sqlite3 $(PY) manage.py load_jurisdictions -v 0
	SQLITE_PATH=var/bench.sqlite3 $(PY) manage.py load_demo
	SQLITE_PATH=var/bench.sqlite3 $(PY) manage.py bench

# The national-scale benchmark: PostgreSQL from DATABASE_URL (default: a local tandem_scale database), the
# dataset generated once at SCALE (default 1; 0.1 for a quick look), then the table (REPEAT timed requests).
SCALE ?= 1
REPEAT ?= 20
BENCH_DB ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/tandem_scale)
bench-scale: $(STAMP)
	DATABASE_URL=$(BENCH_DB) $(PY) manage.py migrate --noinput -v 0
	DATABASE_URL=$(BENCH_DB) $(PY) manage.py generate_scale --profile national --scale $(SCALE) --if-missing
	DATABASE_URL=$(BENCH_DB) $(PY) manage.py bench_scale --repeat $(REPEAT) --json var/bench-scale-$(SCALE).json \
		$(if $(COMPARE),--compare $(COMPARE))

# axe-core (npm) for the accessibility checks the browser tests run in Chromium.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@command -v npm >/dev/null || { echo "Installing npm (Debian) for the accessibility checks"; apt-get update -qq && apt-get install -y -qq npm; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# --dist load: a worker is handed one test at a time (another when it has two left), in the suite's order
# (tandem/conftest.py), so neither is left holding a run of long browser journeys while the other has nothing
# left to do; the tests that read the demo world are one unit, run by one worker, which builds the demo once
# while the other runs other tests (tandem/tests/xdist_groups.py; before, both took demo tests first and one
# waited out the other's build: 55 s on SQLite and 83 s on PostgreSQL of an idle core per run).
# Compiled modules, pytest's rewritten test modules included, are kept in var/pycache even where the
# environment sets PYTHONDONTWRITEBYTECODE (nothing is written beside the sources): compiling them again
# in every worker cost 13 of the 28 s of CPU a worker spent collecting the suite.
test: $(STAMP) chromium $(AXE)
	env -u PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX=$(CURDIR)/var/pycache $(PY) -m pytest -n $(PYTEST_WORKERS) --dist load --durations=20 $(PYTEST_ARGS)

# mypy checks the typed layers: the access rules, the registry, and every app's services and selectors
# (a module or a package: new ones are picked up by these globs).
MYPY_TARGETS = tandem/core/registry.py $(wildcard tandem/*/access.py tandem/*/access \
	tandem/*/services.py tandem/*/services tandem/*/selectors.py tandem/*/selectors)
# Mutation testing of the access modules (configuration, with the modules and the tests run against each
# mutant: [tool.mutmut] in pyproject.toml). mutmut copies the tree into mutants/ (git-ignored), runs the
# selected tests once to learn which tests call each function, then runs only those tests per mutant (-x),
# MUTATE_WORKERS mutants at a time, each from a copy of a SQLite test database migrated once per run
# (TANDEM_TEST_DB_TEMPLATE, tandem/conftest.py). Variables:
#   MUTATE          mutant names or globs to run, e.g. MUTATE='tandem.core.access.*' (default: every module)
#   MUTATE_WORKERS  mutants tested at once (default: PYTEST_WORKERS)
#   MUTATE_KEEP=1   keep mutants/ and its results (run module by module, or rerun survivors by name after
#                   adding tests): the tests and conftest are copied afresh, and mutants/mutmut-stats.json is
#                   deleted so that mutmut runs the selected tests once again to learn which tests call each
#                   function (with the old file, an edited test or one mutmut does not see as new would not
#                   be run against the mutants); by default every run starts afresh.
MUTATE ?=
MUTATE_WORKERS ?= $(PYTEST_WORKERS)
MUTATE_KEEP ?=
mutate: $(STAMP)
	$(if $(MUTATE_KEEP),rm -rf mutants/test-db mutants/mutmut-stats.json mutants/tandem/conftest.py mutants/tandem/tests \
		mutants/tandem/*/tests,rm -rf mutants)
	env -u DATABASE_URL TANDEM_TEST_DB_TEMPLATE=$(CURDIR)/mutants/test-db/template.sqlite3 \
		$(VENV)/bin/mutmut run --max-children $(MUTATE_WORKERS) $(MUTATE); status=$$?; \
		$(VENV)/bin/mutmut results; exit $$status

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy $(MYPY_TARGETS)

check-deploy: $(STAMP)
	TANDEM_ENV=production DEBUG=false \
	SECRET_KEY="$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(45))')}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-tandem.example.org}" \
	$(PY) manage.py check --deploy --fail-level WARNING

# Browser tests drive Debian's Chromium through Playwright (never `playwright install`).
chromium:
	@if [ -x "$(CHROMIUM)" ]; then \
		:; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Chromium from Debian for the browser tests"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y chromium fonts-dejavu-core || { apt-get update && apt-get install -y chromium fonts-dejavu-core; } || \
			echo "WARNING: could not install Chromium; the browser tests will be skipped."; \
	else \
		echo "NOTE: $(CHROMIUM) is missing, so the browser tests (marker 'browser') will be skipped."; \
		echo "      Install Debian's Chromium to run them: sudo apt-get install -y chromium"; \
	fi

# The French catalogues: the project's (core and shared templates) and one per app that has a
# locale/ folder (makemessages run inside the app writes there), then the compiled .mo files.
APPS_WITH_LOCALE = $(patsubst tandem/%/locale,%,$(wildcard tandem/*/locale))
messages: $(STAMP)
	$(PY) manage.py makemessages -l fr --no-location -i '.venv/*' -i 'node_modules/*' -i 'mutants/*' \
		$(foreach app,$(APPS_WITH_LOCALE),-i 'tandem/$(app)/*')
	@for app in $(APPS_WITH_LOCALE); do (cd tandem/$$app && ../../$(PY) ../../manage.py makemessages -l fr --no-location) || exit 1; done
	$(PY) manage.py compilemessages --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'mutants/*'

# The production topology (docs/deploy.md): gunicorn workers, PostgreSQL (DATABASE_URL), Redis, the RQ worker.
serve-prod: $(STAMP)
	PORT=$(PORT) ops/prod.sh run

# Against a running `make serve-prod` (same PORT): accounts with a second factor, 60 s of mixed load, then
# every acknowledged write counted in the database.
LOADTEST_SECONDS ?= 60
loadtest: $(STAMP)
	eval "$$(PORT=$(PORT) ops/prod.sh env)" && $(PY) ops/loadtest.py prepare && \
		$(PY) ops/loadtest.py run --port $(PORT) --duration $(LOADTEST_SECONDS) && $(PY) ops/loadtest.py verify

prod-check: $(STAMP)
	.ci/prod-check
