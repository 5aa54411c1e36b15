SHELL := /bin/bash
BIN := .venv/bin

.PHONY: run run-replica replica-stop test test-fast checks bench bench-http peak bootstrap stop lint format messages

## make run: virtualenv, dependencies, local PostgreSQL + Redis, migrations, demo school, web + Celery.
run:
	@scripts/bootstrap.sh
	@scripts/run.sh

## make test: the same bootstrap, the CI checks (lint, format, migrations, check --deploy),
## then the whole suite in parallel against real PostgreSQL, Redis, Celery, Chromium.
# --dist loadscope with the suite's own scheduler (tests/scheduling.py): a module that builds
# its data once runs whole on one worker; every other test is a unit of its own.
PYTEST_PARALLEL := -n auto --dist loadscope
# This machine sets PYTHONDONTWRITEBYTECODE: without a bytecode cache every pytest worker
# rewrites the asserts of all 250 test modules (6 s of CPU each) and every child process
# compiles the project again.
unexport PYTHONDONTWRITEBYTECODE
test:
	@WITH_BROWSER=1 scripts/bootstrap.sh
	@# the test database template (tests/template_db.py) migrates on one core while the checks run on the other
	@scripts/checks.sh & $(BIN)/python -m tests.template_db; built=$$?; wait $$! && exit $$built
	@DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest $(PYTEST_PARALLEL) --durations=25 $(PYTEST_ARGS)

## make test-fast: everything but the browser lane, for the edit-test loop (add PYTEST_ARGS=--lf).
test-fast:
	@scripts/bootstrap.sh
	@DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest $(PYTEST_PARALLEL) -m "not browser" $(PYTEST_ARGS)

checks:
	@scripts/checks.sh

## make bench: speed budgets, printed as a table; BENCH_BASE=<rev> adds the before column,
## BENCH_BASE_CASES=lesson_page measures the base with this checkout's case file (bench/compare.py).
bench:
	@scripts/bootstrap.sh
	@$(BIN)/python -m bench $(BENCH_ARGS)

## make bench-http: the pages over HTTP through gunicorn (DEBUG off, the real settings), with
## bytes, a baseline row and each row as a multiple of it, and a throughput row.
bench-http:
	@scripts/bootstrap.sh
	@BENCH_HTTP=1 $(BIN)/python -m bench $(BENCH_ARGS)

## make peak: a region's evening peak with locust (loadtest/), against the primary with its
## streaming replica and against one database; PEAK_USERS (300), PEAK_TIME (5m).
peak:
	@scripts/bootstrap.sh
	@cmp -s requirements-load.txt .venv/.requirements-load.installed 2>/dev/null || \
	  { $(BIN)/pip install -q --disable-pip-version-check -r requirements-load.txt && cp requirements-load.txt .venv/.requirements-load.installed; }
	@command -v nginx >/dev/null || { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; } || \
	  { echo "make peak needs nginx: sudo apt-get install -y nginx-light" >&2; exit 1; }
	@$(BIN)/python -m loadtest.peak

bootstrap:
	@scripts/bootstrap.sh

stop:
	@scripts/services.sh stop

## make run-replica: make run with a streaming replica of the checkout's PostgreSQL (a second
## cluster) serving the reads that may lag (docs/DEPLOY.md "A read replica").
run-replica:
	@scripts/bootstrap.sh
	@scripts/services.sh replica-start >/dev/null
	@DB_REPLICA=1 scripts/run.sh

replica-stop:
	@scripts/services.sh replica-stop

lint:
	@$(BIN)/ruff check . && $(BIN)/ruff format --check .

format:
	@$(BIN)/ruff check --fix . && $(BIN)/ruff format .

messages:
	@$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=var
	@$(BIN)/python manage.py makemessages -l en -d djangojs --ignore=.venv --ignore=node_modules --ignore=var
