# The two commands a newcomer needs: `make run` and `make test`.
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app service
PYTHON ?= python3

.PHONY: run test install lint typecheck validate unit setup bench clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

setup: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	$(FLASK) deploy

run: setup
	$(FLASK) serve --host 127.0.0.1 --port 5000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

validate: install
	$(FLASK) validate --org demo bpmn/

test: lint typecheck validate
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/engine_overhead.py
	$(BIN)/python bench/sweep_scaling.py

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .mypy_cache
