# Every target creates the virtual environment it needs; nothing is assumed installed.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
DEPS   := $(VENV)/.deps-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?=

.PHONY: run test lint typecheck bench check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(DEPS): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,dev]'
	rm -f $(VENV)/.deps-*
	touch $@

## run: create .venv, install, create the SQLite ledger (demo data on first run), serve on $(HOST):$(PORT)
run: $(DEPS)
	$(BIN)/greenledger serve --host $(HOST) --port $(PORT) --demo-if-new

## test: the whole suite, against the in-memory store, SQLite and PostgreSQL
test: $(DEPS)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(DEPS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(DEPS)
	$(BIN)/mypy

bench: $(DEPS)
	$(BIN)/python -m bench $(if $(QUICK),--quick,)

check: lint typecheck test

clean:
	rm -rf $(VENV) var/bench .pytest_cache .mypy_cache .ruff_cache
