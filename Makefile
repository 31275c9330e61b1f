# EduBridge: `make run` serves the demo node at http://127.0.0.1:8000; `make test` runs the suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .tools
UV := $(shell command -v uv 2>/dev/null || echo $(TOOLS)/bin/uv)
LOCALE_DIR := src/edubridge/locale
TEST_DATA_DIR := $(CURDIR)/var/test-run
PYTEST_ARGS ?=

.PHONY: help
help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 24

$(TOOLS)/bin/uv:
	@echo "uv not found; installing it into $(TOOLS) with pip"
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

.PHONY: setup
setup: $(VENV)/.synced messages  ## create the virtual environment with the locked dependencies

.PHONY: messages
messages: $(VENV)/.synced  ## compile the shell's translations
	@$(BIN)/pybabel compile -D django -d $(LOCALE_DIR) 2>&1 | grep -v "^compiling" || true

.PHONY: run
run: setup  ## migrate, load the demo network, start the worker and serve at http://127.0.0.1:8000
	$(BIN)/edubridge serve --demo

.PHONY: chromium
chromium:  ## install Debian's Chromium for the browser tests when it is missing
	@command -v /usr/bin/chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || { echo "Could not install chromium; run: apt-get install chromium"; exit 1; }; }

.PHONY: test
test: setup chromium test-only  ## install what the tests need and run the whole suite

.PHONY: test-only
test-only:  ## run the suite without installing anything (DATABASE_URL/REDIS_URL choose the scale path)
	rm -rf $(TEST_DATA_DIR) && mkdir -p $(TEST_DATA_DIR)
	EDUBRIDGE_DATA_DIR=$(TEST_DATA_DIR) EDUBRIDGE_TASK_QUEUE=edubridge-test $(BIN)/pytest $(PYTEST_ARGS)

.PHONY: lint
lint: setup  ## ruff, mypy (strict in engines) and import-linter
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src
	$(BIN)/lint-imports

.PHONY: check-generated
check-generated: setup  ## fail when a migration or the committed OpenAPI document is stale
	EDUBRIDGE_DATA_DIR=$(TEST_DATA_DIR) $(BIN)/edubridge makemigrations --check --dry-run
	EDUBRIDGE_DATA_DIR=$(TEST_DATA_DIR) $(BIN)/edubridge export_openapi --check docs/api/openapi.json

.PHONY: openapi
openapi: setup  ## regenerate docs/api/openapi.json
	EDUBRIDGE_DATA_DIR=$(TEST_DATA_DIR) $(BIN)/edubridge export_openapi docs/api/openapi.json

.PHONY: format
format: setup  ## format the code
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# Benchmarks and outside conformance suites: run by hand, never in CI.
.PHONY: bench-matching
bench-matching: setup  ## 50,000 applicants x 2,000 places: ours against the `matching` library
	$(BIN)/python bench/matching/bench.py

.PHONY: bench-privacy
bench-privacy: setup  ## 5-anonymity over Adult: ours against anjana, and ARX's published figure
	$(BIN)/python bench/privacy/bench_kanonymity.py

.PHONY: bench-standards
bench-standards: setup  ## item validation and QTI read/write throughput
	$(BIN)/python bench/standards/bench_codecs.py 10000

.PHONY: bench-localize
bench-localize: setup  ## the localization gold set: recall, precision, forbidden content, items/s
	$(BIN)/python bench/localize/run.py

.PHONY: credentials-crosscheck
credentials-crosscheck: setup  ## verify the node's credentials with Digital Bazaar's verifier (needs node and npm)
	bash bench/credentials/run.sh

.PHONY: conformance-xapi
conformance-xapi: setup  ## run ADL's xAPI conformance suite (XAPI_CONFORMANCE_SUITE=path) against a throwaway node
	bash bench/records/conformance.sh

.PHONY: bench-records
bench-records: setup  ## xAPI statement ingestion against raw executemany of the same rows
	$(BIN)/python bench/records/ingest.py

.PHONY: bench-records-query
bench-records-query: setup  ## GET /xapi/statements latency per filter, with more paging, over a million statements
	$(BIN)/python bench/records/query.py

.PHONY: bench-catalogue
bench-catalogue: setup  ## import 10,000 items and search 100,000 against raw inserts
	$(BIN)/python bench/catalogue/bench_catalogue.py

.PHONY: bench-adaptive
bench-adaptive: setup  ## learner models against pyBKT on ASSISTments 2015, and next-item latency
	$(BIN)/python bench/adaptive/run_bench.py

.PHONY: bench-practice-load
bench-practice-load: setup  ## 100 learners practising over HTTP against gunicorn, on SQLite and PostgreSQL
	$(BIN)/python bench/adaptive/load/run_load.py --db sqlite --think 10
	$(BIN)/python bench/adaptive/load/run_load.py --db postgres --think 10
