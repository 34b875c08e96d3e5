# The two commands a newcomer needs: `make run` and `make test`.
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app service
PYTHON ?= python3

.PHONY: run test install lint typecheck validate unit setup bench clean viewer diagrams browser compose-config

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

# The bpmn-js bundles: the viewer, and the diagram editor with its properties panel; and the ECharts
# bar charts of the statistics page (npm packages pinned in package-lock.json; node_modules/ and the
# bundles are not committed).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

service/web/static/build/viewer.js: node_modules/.installed tools/viewer/viewer.js
	npm run build:viewer

service/web/static/build/editor.js: node_modules/.installed $(wildcard tools/editor/*)
	npm run build:editor

service/web/static/build/charts.js: node_modules/.installed tools/charts/charts.js
	npm run build:charts

viewer: service/web/static/build/viewer.js service/web/static/build/editor.js service/web/static/build/charts.js

setup: install viewer
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

test: lint typecheck validate browser viewer
	$(BIN)/pytest

# Debian's chromium and a Chinese font, for the browser tests (tests/browser/, Playwright) and the
# diagram pictures; installed with apt when missing (Playwright's own browser download is never
# used). Fails, saying so, when they cannot be installed: in CI a browser test never skips.
browser:
	@command -v chromium >/dev/null && fc-list :lang=zh | grep -q . || \
		(apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-microhei) || true
	@command -v chromium >/dev/null && fc-list :lang=zh | grep -q . || \
		{ echo "make browser: chromium and a Chinese font are needed (apt-get install chromium fonts-wqy-microhei) and could not be installed" >&2; exit 1; }

# The pictures in README "Diagrams" (docs/diagrams/*.png): bpmn-js in Debian's chromium, driven by
# Playwright. A unit test checks that every diagram has its committed picture, and
# render_diagrams.py fails on a blank one.
diagrams: install viewer browser
	$(BIN)/python scripts/render_diagrams.py

bench: install
	$(BIN)/python bench/engine_overhead.py
	$(BIN)/python bench/sweep_scaling.py
	$(BIN)/python bench/inbox_scaling.py
	$(BIN)/python bench/report_scaling.py
	$(BIN)/python bench/api_throughput.py
	$(BIN)/python bench/done_scaling.py

# compose.yaml as Compose reads it, with the settings of .env.example: the compose plugin, else
# Debian's docker-compose (apt-get install docker-compose).
compose-config:
	@if docker compose version >/dev/null 2>&1; then docker compose --env-file .env.example config --quiet; \
	else docker-compose --env-file .env.example config --quiet; fi && echo "compose.yaml: ok"

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .mypy_cache node_modules service/web/static/build
