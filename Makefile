# evalkit: `make help` lists the targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
KERNEL := $(VENV)/share/jupyter/kernels/evalkit/kernel.json

.DEFAULT_GOAL := help
.PHONY: help setup dev report test lint lab explore bundle sample strip messages clean

# `make explore PROJECT=~/my-province PORT=8900` and `make lab PROJECT=...`: the project whose
# data the explore notebook opens (default: this folder).
PROJECT ?= .
PORT    ?= 8866

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.dev: pyproject.toml $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

$(VENV)/.lab: pyproject.toml $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet -e '.[lab]'
	@touch $@

$(VENV)/.explore: pyproject.toml $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet -e '.[explore]'
	@touch $@

$(KERNEL): | $(VENV)/.runtime
	$(BIN)/python -m ipykernel install --sys-prefix --name evalkit --display-name "Python (evalkit)"

setup: $(VENV)/.runtime $(KERNEL) ## Create .venv, install evalkit, register the `evalkit` kernel

dev: setup $(VENV)/.dev ## setup, plus the test and lint tools

report: setup ## Render the bundled sample into reports/ and print the index path
	$(BIN)/evalkit feedback data/sample/trat/pmqa-2562_2565_* --out reports/feedback \
		--cover data/sample/feedback-cover.yaml --quiet
	$(BIN)/evalkit run --out reports

lab: setup $(VENV)/.lab ## Install JupyterLab, then start it on the project with the evalkit kernel
	EVALKIT_PROJECT="$(abspath $(PROJECT))" $(BIN)/jupyter lab --notebook-dir=. \
		--ServerApp.open_browser=False $(if $(filter 0,$(shell id -u)),--allow-root)

explore: setup $(VENV)/.explore ## Install Voila, then open the explore dashboard of PROJECT in the browser
	$(BIN)/evalkit explore --project "$(PROJECT)" --port $(PORT)

bundle: report ## Render the sample, then zip the index and every report
	$(BIN)/evalkit bundle --reports reports

lint: dev ## ruff, strict mypy, the import contracts of the layers and the declared dependencies
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/deptry .

test: dev lint ## Lint, then run the whole test suite
	$(BIN)/python -m pytest

sample: setup ## Regenerate the bundled sample sheets
	$(BIN)/python -m evalkit.exports.sample data/sample/trat

strip: setup ## Clear the outputs of the notebooks before committing them
	$(BIN)/jupyter nbconvert --clear-output --inplace notebooks/*.ipynb

messages: dev ## Extract the msgids into evalkit/locale/evalkit.pot and merge them into the Thai .po
	$(BIN)/pybabel --quiet extract
	$(BIN)/pybabel --quiet update

clean: ## Remove the venv and generated reports
	rm -rf $(VENV) reports/*/ reports/*.html
