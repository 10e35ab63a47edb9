# Two commands a newcomer needs: `make run` and `make test`. Both install what they need first.
SHELL := /bin/bash
# uv from PATH, else the copy pip put in this Python (installed on first use below).
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")

.PHONY: install run test docs dev validate clean

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

# The Dagster UI with every asset; dagster.yaml in this folder queues overlapping runs.
dev: target/manifest.json
	$(UV) run dagster dev -w workspace.yaml

validate: target/manifest.json
	$(UV) run dagster definitions validate -w workspace.yaml
	$(UV) run dagster asset list -m pipelines.definitions

# The dbt documentation site for the warehouse analysts read, on http://127.0.0.1:8080 (Ctrl-C stops
# it). Builds the warehouse first when there is none. The catalog is read from the pipeline's work
# database, the file the warehouse is a copy of, so analysts' open sessions do not block it.
docs: target/manifest.json
	@test -f "$${LAYOFFS_DB:-data/warehouse.duckdb}" || $(UV) run layoffs run --quiet
	$(UV) run dbt docs generate --target pipeline
	$(UV) run dbt docs serve --port 8080 --host 127.0.0.1 --no-browser

clean:
	rm -rf target logs data/.work data/warehouse.duckdb
