# evsupply: the README's commands. `make help` lists them.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.DEFAULT_GOAL := help
.PHONY: help setup reports test test-fast validate schema dictionary notebooks docs release lab plotlyjs bench clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-11s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "evsupply needs Python 3.11 or newer (set PYTHON=python3.11)")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,lab,release]"
	@touch $(STAMP)

setup: $(STAMP) ## create .venv and install evsupply with its dependencies (the other targets do this first)

reports: $(STAMP) ## validate the data and render every report of notebooks/reports.yml into reports/
	$(BIN)/evsupply validate
	$(BIN)/evsupply render

test: $(STAMP) ## run every test: format, lint, unit, property-based, notebooks (nbval), install, browser
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

test-fast: $(STAMP) ## run the unit part only (tests/unit/: hand-made data, no render), in about a minute
	$(BIN)/python -m pytest tests/unit

validate: $(STAMP) ## check data/ against the schema and the domain rules (stale rows are warnings)
	$(BIN)/evsupply validate

schema: $(STAMP) ## regenerate data/datapackage.json and docs/data-dictionary.md from evsupply/data/metadata/
	$(BIN)/evsupply schema --write --dictionary docs/data-dictionary.md

dictionary: schema ## the same as `make schema`

notebooks: $(STAMP) ## set parameters cells from the specs, re-run the notebooks, store the outputs nbval compares
	$(BIN)/python tools/store_checked_outputs.py notebooks/*.ipynb

docs: $(STAMP) ## regenerate the generated parts of docs/ (API reference, evidence words, parameters, layers, CLI help)
	$(BIN)/python tools/update_docs.py

release: $(STAMP) ## build releases/<data version>/: data package, SQLite, Parquet, zips, notes, citation (docs/release.md)
	$(BIN)/evsupply release

lab: $(STAMP) ## open JupyterLab on notebooks/ with evsupply installed
	$(BIN)/jupyter lab --notebook-dir=notebooks $$([ "$$(id -u)" = 0 ] && echo --allow-root)

plotlyjs: ## rebuild the reports' partial plotly.js from tools/plotlyjs (needs Node and npm; no other target does)
	cd tools/plotlyjs && npm ci --no-audit --no-fund --ignore-scripts && node build.js

bench: $(STAMP) ## run every benchmarks/*.py (cold load, render, flow scale, policy, suite time...)
	@set -e; for bench in benchmarks/*.py; do echo "== $$bench"; $(BIN)/python $$bench; done

clean: ## remove the virtual environment and rendered reports (keeps reports/README.md)
	rm -rf $(VENV) .render
	find reports -mindepth 1 ! -name README.md -exec rm -rf {} +
