# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB := $(or $(BALANZA_DB),data/balanza.duckdb)
DATA_INPUTS := data/sources.toml $(shell find data/raw -type f 2>/dev/null) $(wildcard etl/*.py etl/sources/*.py)

.PHONY: run serve-workers test test-fast test-lowest build lint format docs bench clean screenshots

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Rebuilt when missing or older than any bundled input or loader module.
$(DB): $(STAMP) $(DATA_INPUTS)
	$(BIN)/balanza build --db $(DB)

build: $(DB)

run: $(DB)
	$(BIN)/balanza serve --db $(DB)

# Several Streamlit processes behind nginx (Debian package nginx), sticky sessions: `make serve-workers WORKERS=3`.
WORKERS ?= 2
serve-workers: $(DB)
	$(BIN)/balanza serve --db $(DB) --workers $(WORKERS)

# pytest exits 5 when it collects nothing; make turns any non-zero exit into a failure.
test: $(STAMP)
	$(BIN)/python -m pytest

# The quick tier: no browser, nothing marked slow (under 90 s on 2 cores).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not browser and not slow"

# The lowest versions pyproject.toml allows, in a virtualenv of their own (.venv-lowest): every page rendered and
# the fast tier run on them. Apart from `make test` and .ci/run: it installs a second environment (about 1 min).
test-lowest:
	PYTHON=$(PYTHON) bash .ci/lowest

# ruff (lint and format check) and mypy, configured in pyproject.toml.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate the generated parts of the docs (README's settings table).
docs: $(STAMP)
	$(BIN)/python -m etl.settings --write

# The README's screenshots (docs/img/*.png), taken in headless Chromium; no test writes them.
screenshots: $(DB)
	$(BIN)/python -m tools.screenshots --db $(DB)

bench: $(STAMP)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/scenario.py
	$(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) data/balanza.duckdb
