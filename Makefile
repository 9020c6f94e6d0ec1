# Ceasefire Tracker. `make run` serves the application; `make test` runs the suite.
SHELL := /bin/sh
# scripts/find-python.sh honours $PYTHON when it is 3.12 or newer.
PYTHON := $(shell scripts/find-python.sh)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.local

.PHONY: run test lint services bench eval check-deploy clean

$(VENV)/bin/python:
	@test -n "$(PYTHON)" || { echo "No Python 3.12+ found; set PYTHON=/path/to/python3.12" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: $(VENV)/bin/python requirements.txt
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

services:
	@scripts/ensure-services.sh

## run: the web server, a Celery worker and beat, on http://127.0.0.1:$(PORT)
run: $(VENV)/.runtime services
	$(PY) manage.py ensure_database
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_scenario
	$(PY) manage.py ensure_editor
	$(PY) manage.py runstack --port $(PORT)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## test: lint, then pytest (with the missing-migrations check) against real PostgreSQL and Redis
test: $(VENV)/.dev services lint
	@scripts/ensure-chromium.sh
	@scripts/ensure-browser-assets.sh
	@scripts/ensure-nginx.sh
	@# The migration and deploy checks run manage.py, whose checks open the configured database.
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py ensure_database
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/pytest $(PYTEST_ARGS)

## bench: the benchmarks in benchmarks/, figures printed and saved to bench-results/
bench: $(VENV)/.dev services
	$(PY) -m benchmarks $(BENCH_ARGS)

## eval: statement extraction measured on the corpus of real reports, both splits
eval: $(VENV)/.runtime
	$(PY) manage.py evaluate_extraction --json eval-results/extraction.json

check-deploy: $(VENV)/.runtime
	DJANGO_SETTINGS_MODULE=config.settings.production \
	DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	DJANGO_ALLOWED_HOSTS=ceasefire.example.org \
	$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
