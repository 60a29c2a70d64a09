# The two commands a new user needs: `make app` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8866

.PHONY: app test lab data venv clean-venv bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install whenever pyproject.toml changes.
$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

venv: $(VENV)/.installed

## data: create the monitoring store from the shipped data if it does not exist (never overwrites).
data: $(VENV)/.installed
	$(BIN)/planlib setup

## app: set up, then serve the leadership dashboard at http://$(HOST):$(PORT)/
app: data
	$(BIN)/voila notebooks/00-dashboard.ipynb --Voila.ip=$(HOST) --port=$(PORT) --no-browser

## lab: open the notebooks in JupyterLab
lab: data
	$(BIN)/jupyter lab --notebook-dir=notebooks

## test: set up with the test extras, then run the whole suite
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-test
	for f in benchmarks/*.py; do $(BIN)/python $$f || exit 1; done

clean-venv:
	rm -rf $(VENV)
