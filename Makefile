# Two commands a newcomer needs: `make run` and `make test`. Both install what they need first.
SHELL := /bin/bash
# uv from PATH, else the copy pip put in this Python (installed on first use below).
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")

.PHONY: install run test docs dev serve validate clean report

install: .venv/.installed

.venv/.installed: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || \
		python3 -m pip install --quiet uv || python3 -m pip install --quiet --user uv || \
		python3 -m pip install --quiet --user --break-system-packages uv
	$(UV) sync --frozen --compile-bytecode
	@touch $@

# dagster-dbt reads the manifest when the definitions are imported.
target/manifest.json: .venv/.installed dbt_project.yml profiles.yml $(shell find dbt_project -type f 2>/dev/null)
	$(UV) run dbt parse --quiet
	@touch $@

run: target/manifest.json
	$(UV) run layoffs run

test: target/manifest.json
	$(UV) run pytest

# The visual report (charts, every event and its sources) as one self-contained HTML file that opens
# offline: data/report.html, its path printed. Builds the warehouse first when there is none.
report: install
	@test -f "$${LAYOFFS_DB:-data/warehouse.duckdb}" || $(UV) run layoffs run --quiet
	@$(UV) run layoffs report --format html --out data/report.html

# The Dagster UI with every asset, on a throwaway instance (schedule and sensor start stopped);
# dagster.yaml in this folder queues overlapping runs. With DAGSTER_HOME set, Dagster reads
# $$DAGSTER_HOME/dagster.yaml instead, so the project's settings are added to it first.
dev: target/manifest.json
	@if [ -n "$$DAGSTER_HOME" ]; then $(UV) run layoffs serve --prepare-only; fi
	$(UV) run dg dev -w workspace.yaml

# A deployment: dagster-webserver and dagster-daemon on a persistent instance ($$DAGSTER_HOME, else
# .dagster_home/), schedule and feed sensor on. SERVE_HOST=0.0.0.0 to listen beyond this machine.
SERVE_HOST ?= 127.0.0.1
SERVE_PORT ?= 3000
serve: target/manifest.json
	$(UV) run layoffs serve --host $(SERVE_HOST) --port $(SERVE_PORT)

validate: target/manifest.json
	$(UV) run dg check defs
	$(UV) run dg list defs

# The dbt documentation site for the warehouse analysts read, on http://127.0.0.1:8080 (Ctrl-C stops
# it). Builds the warehouse first when there is none. The catalog is read from the pipeline's work
# database, the file the warehouse is a copy of, so analysts' open sessions do not block it.
docs: target/manifest.json
	@test -f "$${LAYOFFS_DB:-data/warehouse.duckdb}" || $(UV) run layoffs run --quiet
	$(UV) run dbt docs generate --target pipeline
	$(UV) run dbt docs serve --port 8080 --host 127.0.0.1 --no-browser

clean:
	rm -rf target logs data/.work data/warehouse.duckdb
