# The two set-up commands of the README:
#   make demo   - sample data, dbt build (models + data tests), top leads
#   make test   - lint (ruff, sqlfluff) and the full test suite (pytest runs dbt build)
# Both create .venv and install the pinned versions on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The demo needs the runtime packages only (dbt-duckdb, Great Expectations,
# scikit-learn ...); the tests add the dev set (Postgres and Spark adapters,
# pytest, linters).
STAMP_RUNTIME := $(VENV)/.installed-runtime
STAMP := $(VENV)/.installed
export LEAD_SCORING_DB ?= warehouse/lead_scoring.duckdb

.PHONY: demo test lint install system-deps clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUNTIME): pyproject.toml requirements.lock | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -c requirements.lock -e .
	touch $(STAMP_RUNTIME)

$(STAMP): pyproject.toml requirements.lock | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP_RUNTIME) $(STAMP)

# Older DuckDB readers (the Python package of the LTS release and the newest
# command line on the package registry) in their own environment: the tests
# open the published BI file with them, as BI tools with an embedded DuckDB do.
READERS := .venv-readers
READERS_STAMP := $(READERS)/.installed
$(READERS_STAMP): Makefile
	$(PYTHON) -m venv $(READERS)
	$(READERS)/bin/python -m pip install --quiet duckdb==1.4.5 duckdb-cli==1.5.6
	touch $(READERS_STAMP)

install: $(STAMP)

demo: $(STAMP_RUNTIME)
	$(BIN)/lead-scoring demo

lint: $(STAMP)
	$(BIN)/ruff check src tests orchestration
	LEAD_SCORING_DB=target/lint.duckdb $(BIN)/sqlfluff lint --processes 2 models tests/dbt analyses

# The report test renders the HTML report in headless Chromium, and the
# portability tests build the models on a local PostgreSQL server and on Spark
# (needs Java): these come from Debian packages, installed here when missing
# (as root).
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
	  || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v java >/dev/null 2>&1 || missing="$$missing openjdk-17-jre-headless"; \
	[ "$$(id -u)" != 0 ] || command -v mkfs.xfs >/dev/null 2>&1 || missing="$$missing xfsprogs"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	  else \
	    echo "The tests need:$$missing (sudo apt-get install$$missing)"; exit 1; \
	  fi; \
	fi

test: lint system-deps $(READERS_STAMP)
	$(BIN)/pytest

clean:
	rm -rf target logs warehouse data .pytest_cache $(READERS)
