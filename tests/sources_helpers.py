"""Shared by the tests/test_sources_*.py files: write a sources file, run discovery on it."""

from __future__ import annotations

from pathlib import Path

from pipelines.sources import DiscoveryOutcome, discover_all, load_sources

# Loopback must be allowed for the test server; no delay and no retries keep the suite fast.
TEST_FETCH_BLOCK = """
fetch:
  user_agent: "layoffs-pipeline-test/0.1 (+https://example.org/bot)"
  per_host_delay_s: 0
  timeout_s: 5
  retries: 0
  allow_private_networks: true
"""


def run_sources(tmp_path: Path, sources_yaml: str, fetch_block: str = TEST_FETCH_BLOCK) -> DiscoveryOutcome:
    path = tmp_path / "sources.yml"
    path.write_text(sources_yaml.strip() + "\n" + fetch_block, encoding="utf-8")
    config = load_sources(path)
    return discover_all(config.sources, config.fetch)
