# Every target creates the virtual environment it needs; nothing is assumed installed.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
DEPS   := $(VENV)/.deps-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
# HOST and PORT override GREENLEDGER_HOST / GREENLEDGER_PORT (default 127.0.0.1:8000) for `make run`.
HOST   ?=
PORT   ?=
PYTEST_ARGS ?=

CHROMIUM := /usr/bin/chromium
SOFFICE  := /usr/bin/soffice

.PHONY: help run test lint typecheck bench check clean chromium libreoffice

## help: list the targets
help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(DEPS): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,dev]'
	rm -f $(VENV)/.deps-*
	touch $@

## run: create .venv, install, serve on 127.0.0.1:8000; the SQLite ledger (var/greenledger.db, or
##      GREENLEDGER_DATABASE_URL) is created on start, with the demo data when it is new.
##      Ctrl-C stops it.
run: $(DEPS)
	$(BIN)/greenledger serve --demo-if-new $(if $(HOST),--host $(HOST)) $(if $(PORT),--port $(PORT))

## test: the whole suite, against the in-memory store, SQLite and PostgreSQL, and in Chromium
test: $(DEPS) chromium libreoffice
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## chromium: Debian's Chromium for the browser tests (ADR 0072), installed with apt-get when
##           missing and running as root; otherwise the browser tests skip (and fail under CI)
chromium:
	@if [ ! -x $(CHROMIUM) ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei; \
	fi

## libreoffice: Debian's LibreOffice Calc (no GUI) for the print tests (ADR 0074): the exported
##              workbooks are printed to PDF by a real spreadsheet program; installed with apt-get
##              when missing and running as root; otherwise those tests skip (and fail under CI)
libreoffice:
	@if [ ! -x $(SOFFICE) ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc-nogui fonts-wqy-zenhei; \
	fi

## lint: ruff check and ruff format --check
lint: $(DEPS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## typecheck: mypy, strict
typecheck: $(DEPS)
	$(BIN)/mypy

## bench: the benchmark suite (QUICK=1 for a short run)
bench: $(DEPS)
	$(BIN)/python -m bench $(if $(QUICK),--quick,)

## check: lint, typecheck and test, as CI runs them (.ci/run)
check: lint typecheck test

## clean: remove the virtual environment and caches (the ledger in var/ stays)
clean:
	rm -rf $(VENV) var/bench .pytest_cache .mypy_cache .ruff_cache
