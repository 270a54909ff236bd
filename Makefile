# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
DB := $(or $(BALANZA_DB),data/balanza.duckdb)
DATA_INPUTS := data/sources.toml $(shell find data/raw -type f 2>/dev/null) $(wildcard etl/*.py etl/sources/*.py etl/sources/*/*.py etl/store/*.py)

.PHONY: run serve-workers test test-fast test-lowest build lint format docs bench clean screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# What running needs: the runtime dependencies only (docs/benchmarks.md: a fresh clone's `make run`).
$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# The test extras (pytest, hypothesis, playwright, ruff, mypy, ...) on top, for `make test` and the maintainers' targets.
$(TEST_STAMP): pyproject.toml $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# Rebuilt when missing or older than any bundled input or loader module.
$(DB): $(RUN_STAMP) $(DATA_INPUTS)
	$(BIN)/balanza build --quiet --db $(DB)

build: $(DB)

run: $(DB)
	$(BIN)/balanza serve --db $(DB)

# Several Streamlit processes behind nginx (Debian package nginx), sticky sessions: `make serve-workers WORKERS=3`.
WORKERS ?= 2
serve-workers: $(DB)
	$(BIN)/balanza serve --db $(DB) --workers $(WORKERS)

# pytest exits 5 when it collects nothing; make turns any non-zero exit into a failure.
test: $(TEST_STAMP)
	$(BIN)/python -m pytest

# The quick tier: no browser, nothing marked slow (under 90 s on 2 cores).
test-fast: $(TEST_STAMP)
	$(BIN)/python -m pytest -q -m "not browser and not slow"

# The lowest versions pyproject.toml allows, in a virtualenv of their own (.venv-lowest): every page rendered and
# the fast tier run on them. Apart from `make test` and .ci/run: it installs a second environment (about 1 min).
test-lowest:
	PYTHON=$(PYTHON) bash .ci/lowest

# ruff (lint and format check) and mypy, configured in pyproject.toml.
lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(TEST_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate the generated parts of the docs (README's settings table).
docs: $(TEST_STAMP)
	$(BIN)/python -m etl.settings --write

# The README's screenshots (docs/img/*.png), taken in headless Chromium; no test writes them.
screenshots: $(DB) $(TEST_STAMP)
	$(BIN)/python -m tools.screenshots --db $(DB)

bench: $(TEST_STAMP)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/scenario.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/uploads.py

clean:
	rm -rf $(VENV) data/balanza.duckdb
