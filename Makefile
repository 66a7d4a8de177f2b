# Two commands: `make run` (demo service + Teams test client) and `make test` (lint, types, tests).
# `make package` builds appPackage.zip for Teams (docs/deploy.md).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install lint typecheck pytest package icons postgres-stop clean

# `make run PERSON=adelev@example.com` chats as another demo user (default: alexw@example.com).
run: $(VENV)/.installed node_modules/.installed
	PERSON="$(PERSON)" scripts/run-local.sh

test: $(VENV)/.installed-test node_modules/.installed lint typecheck pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

# The integration tests need PostgreSQL: start (or reuse) a loopback server for them. The
# browser tests need Chromium: installed from the system packages when it is missing.
# Everything runs on botbuilder (the default SDK); then every test that goes through the
# edge runs again on the Microsoft 365 Agents SDK. Tests run in parallel, one worker a core
# (`make test PYTEST_WORKERS=0` runs them in one process), each file's on one worker: the
# browser and playground files share one service and one browser between their tests.
PYTEST_WORKERS ?= auto
pytest: $(VENV)/.installed-test node_modules/.installed
	INSPECTION_READY_TEST_POSTGRES_URL="$$(scripts/test-postgres.sh start)" \
		INSPECTION_READY_TEST_CHROMIUM="$$(scripts/test-chromium.sh)" \
		$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile
	INSPECTION_READY_TEST_POSTGRES_URL="$$(scripts/test-postgres.sh start)" \
		INSPECTION_READY_SDK=agents $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile -m edge

install: $(VENV)/.installed

# The Teams app package, for the bot in MicrosoftAppId at INSPECTION_READY_PUBLIC_URL.
package: $(VENV)/.installed
	$(BIN)/inspection-ready package

# Redraws manifest/color.png and manifest/outline.png after a change to bot/icons.py.
icons: $(VENV)/.installed
	$(BIN)/python -m bot.icons

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

postgres-stop:
	scripts/test-postgres.sh stop

clean:
	rm -rf $(VENV) node_modules .mypy_cache .ruff_cache .pytest_cache *.egg-info
