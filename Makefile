# The two commands a new user needs: `make app` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8866
## the notebook `make app` serves (benchmarks/viewers.py serves a bare one the same way)
APP_NOTEBOOK ?= notebooks/00-dashboard.ipynb

.PHONY: app intake test lab data venv clean-venv bench

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

## data: create the monitoring store from the shipped data if it does not exist (never overwrites),
## and bring the dashboard build up to date.
data: $(VENV)/.installed
	$(BIN)/planlib setup

## app: set up (store and dashboard build), then serve the leadership dashboard at http://$(HOST):$(PORT)/
## with Voila behind planlib's limits (planlib/apps/server.py; voila.json: preheated kernel, kernel
## limit, culling, file allowlist). The "planlib" template in share/jupyter is Voila's lab template
## without its CDN links, so the page loads nothing from outside. HOSTNAMES: further names or
## addresses the intranet uses to reach this machine, comma-separated (others get 403).
HOSTNAMES ?=
app: data
	JUPYTER_PATH=$(CURDIR)/share/jupyter $(BIN)/python -m planlib.apps.server $(APP_NOTEBOOK) --template=planlib \
		--Voila.ip=$(HOST) --port=$(PORT) --no-browser --PlanlibVoila.hostnames="$(HOSTNAMES)"

## intake: serve the data-intake app (it writes to the store) at http://$(HOST):$(INTAKE_PORT)/,
## only with a token, which never goes on a command line (where `ps` shows it to every local
## user): $$PLANLIB_INTAKE_TOKEN if set, else the file $(INTAKE_TOKEN_FILE) (a new random
## token, readable by its owner only, is written there the first time). Voila reads it from
## $$JUPYTER_TOKEN in its environment.
INTAKE_PORT ?= 8867
INTAKE_TOKEN_FILE ?= $(HOME)/.config/planlib/intake-token
intake: data
	@token="$${PLANLIB_INTAKE_TOKEN:-}"; \
	if [ -z "$$token" ]; then \
		if [ ! -s "$(INTAKE_TOKEN_FILE)" ]; then \
			mkdir -p "$$(dirname "$(INTAKE_TOKEN_FILE)")" && \
			(umask 077 && $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(24))' > "$(INTAKE_TOKEN_FILE)"); \
		fi; \
		token="$$(cat "$(INTAKE_TOKEN_FILE)")"; \
	fi; \
	echo "数据报送导入 / data intake: http://$(HOST):$(INTAKE_PORT)/?token=$$token"; \
	JUPYTER_TOKEN="$$token" JUPYTER_PATH=$(CURDIR)/share/jupyter $(BIN)/python -m planlib.apps.server notebooks/02-data-intake.ipynb \
		--template=planlib --Voila.ip=$(HOST) --port=$(INTAKE_PORT) --no-browser --Voila.auto_token=True \
		--PlanlibVoila.hostnames="$(HOSTNAMES)"

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
