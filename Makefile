SHELL := /bin/bash
BIN := .venv/bin

.PHONY: run test bench bootstrap stop lint format messages

## make run: virtualenv, dependencies, local PostgreSQL + Redis, migrations, demo school, web + Celery.
run:
	@scripts/bootstrap.sh
	@scripts/run.sh

## make test: the same bootstrap, then the whole suite against real PostgreSQL, Redis, Celery, Chromium.
test:
	@WITH_BROWSER=1 scripts/bootstrap.sh
	@DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest $(PYTEST_ARGS)

## make bench: speed budgets, printed as a table.
bench:
	@scripts/bootstrap.sh
	@$(BIN)/python -m bench $(BENCH_ARGS)

bootstrap:
	@scripts/bootstrap.sh

stop:
	@scripts/services.sh stop

lint:
	@$(BIN)/ruff check . && $(BIN)/ruff format --check .

format:
	@$(BIN)/ruff check --fix . && $(BIN)/ruff format .

messages:
	@$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=node_modules --ignore=var
	@$(BIN)/python manage.py makemessages -l en -d djangojs --ignore=.venv --ignore=node_modules --ignore=var
