"""Contracts with other packages' internals that the pipeline still uses for speed.

Each private path is pinned to an exact version in pyproject.toml. These tests fail loudly when an
upgrade changes the version or the shape the pipeline relies on: check the code named in the
message against the new release, then move the pin and the version here together.

Public paths replaced the rest: dbt events go to JSON through protobuf's `MessageToDict`
(pipelines/dbt_worker/process.py), not dbt's `msg_to_dict`.
"""

from __future__ import annotations

import importlib.metadata
import inspect
import re

import pytest

from conftest import REPO_ROOT

PINS = {
    # package: (exact version pinned, what relies on it)
    "dagster-dbt": ("0.29.27", "pipelines/dbt_worker/resource.py: dagster_dbt.core.dbt_cli_event.DbtCoreCliEventMessage"),
    "trafilatura": ("2.3.1", "pipelines/clean.py: page_metadata() calls trafilatura.metadata internals"),
}


@pytest.mark.parametrize("package", sorted(PINS))
def test_private_paths_are_pinned_to_the_version_they_were_checked_against(package):
    version, user = PINS[package]
    pyproject = (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(rf'"{re.escape(package)}=={re.escape(version)}"', pyproject), (
        f"pyproject.toml must pin {package}=={version} exactly: {user}"
    )
    installed = importlib.metadata.version(package)
    assert installed == version, (
        f"{package} {installed} is installed, but {user} was checked against {version}. Check that code "
        f"against {installed} (and run tests/test_contracts.py, test_clean.py, test_dbt_worker.py), then "
        f"update the pin in pyproject.toml and PINS here."
    )


def test_dagster_dbt_core_event_message_has_the_shape_the_dbt_worker_uses():
    from dagster_dbt import DbtCliEventMessage
    from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage

    assert issubclass(DbtCoreCliEventMessage, DbtCliEventMessage)
    assert {"raw_event", "event_history_metadata"} <= set(inspect.signature(DbtCoreCliEventMessage).parameters)
    parameters = set(inspect.signature(DbtCoreCliEventMessage.to_default_asset_events).parameters)
    assert {"manifest", "dagster_dbt_translator", "context", "target_path"} <= parameters


def _model_result_event() -> dict:
    from dbt.events.types import LogModelResult
    from dbt_common.events.base_types import EventLevel, msg_from_base_event

    from pipelines.dbt_worker.process import event_as_dict

    event = LogModelResult(
        description="sql table model staging.stg_articles", status="OK", index=1, total=1, execution_time=0.1,
        node_info={"node_name": "stg_articles", "unique_id": "model.layoffs.stg_articles", "node_status": "success",
                   "resource_type": "model", "materialized": "table", "node_path": "staging/stg_articles.sql"},
    )
    return event_as_dict(msg_from_base_event(event, level=EventLevel.INFO))


def test_a_dbt_model_result_becomes_a_materialization_of_its_asset(dbt_manifest):
    import dagster as dg
    from dagster_dbt.core.dbt_cli_event import DbtCoreCliEventMessage

    from pipelines.assets.dbt import TRANSLATOR

    message = DbtCoreCliEventMessage(raw_event=_model_result_event(), event_history_metadata={})
    events = list(message.to_default_asset_events(manifest=dbt_manifest, dagster_dbt_translator=TRANSLATOR))
    assert [type(event) for event in events] == [dg.AssetMaterialization]
    assert events[0].asset_key == dg.AssetKey(["staging", "stg_articles"])


def test_dbt_events_turn_into_the_json_dbts_own_logger_writes():
    """The worker's public-path conversion equals dbt's `msg_to_dict`, with and without node_info."""
    from dbt.events.types import MainReportVersion
    from dbt_common.events.base_types import EventLevel, msg_from_base_event
    from dbt_common.events.functions import msg_to_dict
    from dbt.events.types import LogModelResult

    from pipelines.dbt_worker.process import event_as_dict

    for event in (
        MainReportVersion(version="1.11", log_version=3),
        LogModelResult(description="m", status="OK", index=1, total=1, execution_time=0.1,
                       node_info={"node_name": "m", "unique_id": "model.layoffs.m"}),
        LogModelResult(description="m", status="OK", index=1, total=1, execution_time=0.1, node_info={"node_name": ""}),
    ):
        message = msg_from_base_event(event, level=EventLevel.INFO)
        assert event_as_dict(message) == msg_to_dict(message)
    assert "node_info" not in event_as_dict(message)["data"]  # an empty one is dropped, as dbt does


def test_the_trafilatura_internals_page_metadata_calls_still_exist():
    from trafilatura import metadata
    from trafilatura.settings import Document, set_date_params

    for name in ("examine_meta", "extract_meta_json", "extract_title", "extract_url", "extract_sitename"):
        assert callable(getattr(metadata, name, None)), f"trafilatura.metadata.{name} is gone: see pipelines/clean.py"
    assert hasattr(metadata, "META_URL") and hasattr(Document, "clean_and_trim")
    assert "extensive" in inspect.signature(set_date_params).parameters
    assert list(inspect.signature(metadata.extract_url).parameters)[:2] == ["tree", "default_url"]
    # That page_metadata() gives the same fields as the public extract_metadata() on real pages is
    # tests/test_clean.py's job.
