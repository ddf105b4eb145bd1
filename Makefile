# Two commands: `make run` serves the app with demo data; `make test` runs every check.
# While developing, `make test-fast` leaves out the worker, browser and slow tests.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
LOCK ?= requirements/dev.txt
HOST ?= 127.0.0.1
PORT ?= 8000

# Python 3.12 or newer, each candidate checked by running it: on PATH first, then pyenv's.
define find_python
for c in python3.14 python3.13 python3.12 python3; do \
  p=$$(command -v $$c 2>/dev/null) || continue; \
  "$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo "$$p"; exit 0; }; \
done; \
root=$$(pyenv root 2>/dev/null || echo "$$HOME/.pyenv"); \
for p in $$(ls -d "$$root"/versions/3.1[2-9]*/bin/python3.1[2-9] 2>/dev/null | sort -rV); do \
  "$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo "$$p"; exit 0; }; \
done; exit 1
endef

.PHONY: help venv install run test test-fast lint migrations-check pytest pytest-fast bench lock clean
help:
	@echo "make run    - set up and serve the app with demo data at http://$(HOST):$(PORT)"
	@echo "make test   - lint, migrations check and the whole test suite (one pytest process)"
	@echo "make test-fast - the same without the worker, browser and slow tests"
	@echo "make bench  - benchmarks against PostgreSQL (needs DATABASE_URL); writes docs/developers/benchmarks-results.md"
	@echo "make lock   - re-pin dependencies after editing pyproject.toml"

$(PY):
	@python=$$($(find_python)) || { \
	  echo "No Python 3.12 or newer found (Django 6 needs it)." >&2; \
	  echo "Install one, e.g. 'pyenv install 3.12' or 'apt-get install python3.12 python3.12-venv'," >&2; \
	  echo "or put it on PATH, then run make again." >&2; exit 1; }; \
	echo "Using $$python"; "$$python" -m venv $(VENV)
	@$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==0.13.8

venv: $(PY)

# Reinstall only when the lock file changes.
$(VENV)/.installed-%: requirements/%.txt | $(PY)
	$(UV) pip install --quiet --python $(PY) -r $<
	@rm -f $(VENV)/.installed-*; touch $@

# Translations: the .po files are compiled to .mo (build output, not committed), in pure
# Python (no gettext needed), whenever a .po file changes.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
$(MO_FILES): %.mo: %.po | $(VENV)/.installed-$(basename $(notdir $(LOCK)))
	$(PY) manage.py compile_translations

install: $(VENV)/.installed-$(basename $(notdir $(LOCK))) $(MO_FILES)

run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/djlint templates --lint

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

# The whole suite, in one pytest process (docs/developers/testing.md).
pytest: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The fast lane while developing: no real Celery worker, no browser, nothing slow.
FAST := not worker and not browser and not slow
pytest-fast: install
	$(VENV)/bin/pytest -m "$(FAST)" $(PYTEST_ARGS)

test: lint migrations-check pytest

test-fast: lint migrations-check pytest-fast

bench: install
	$(PY) -m bench --results-doc docs/developers/benchmarks-results.md $(BENCH_ARGS)

lock: | $(PY)
	$(UV) pip compile --quiet --python $(PY) pyproject.toml -o requirements/base.txt
	$(UV) pip compile --quiet --python $(PY) pyproject.toml --extra dev -o requirements/dev.txt

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
