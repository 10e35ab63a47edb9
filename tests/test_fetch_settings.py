"""FetchSettings defaults and loading from the sources.yml ``fetch:`` block."""

from __future__ import annotations

import dataclasses

import pytest
import yaml

from pipelines.fetch import FetchSettings


def test_defaults() -> None:
    s = FetchSettings()
    assert s.user_agent.startswith("layoffs-pipeline/0.1 (+https://")
    assert (s.per_host_delay_s, s.timeout_s, s.max_bytes, s.retries, s.max_redirects) == (1.0, 20.0, 5_000_000, 3, 5)
    assert (s.allow_private_networks, s.max_workers) == (False, 8)


def test_from_mapping_none_and_empty_give_defaults() -> None:
    assert FetchSettings.from_mapping(None) == FetchSettings()
    assert FetchSettings.from_mapping({}) == FetchSettings()


def test_from_yaml_block() -> None:
    block = yaml.safe_load(
        """
        fetch:
          per_host_delay_s: 2
          timeout_s: 10
          max_bytes: 1000000
          retries: 1
          allow_private_networks: false
        """
    )["fetch"]
    s = FetchSettings.from_mapping(block)
    assert (s.per_host_delay_s, s.timeout_s, s.max_bytes, s.retries) == (2, 10, 1_000_000, 1)


def test_unknown_keys_are_named_in_the_error() -> None:
    with pytest.raises(ValueError, match=r"unknown fetch setting\(s\): delay, timeout; allowed keys are: .*per_host_delay_s"):
        FetchSettings.from_mapping({"timeout": 5, "delay": 1})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"retries": "3"}, "'retries' must be of type int"),
        ({"retries": True}, "'retries' must be of type int"),
        ({"allow_private_networks": "yes"}, "'allow_private_networks' must be of type bool"),
        ({"timeout_s": 0}, "'timeout_s' must be > 0"),
        ({"per_host_delay_s": -1}, "'per_host_delay_s' must be >= 0"),
        ({"max_workers": 0}, "'max_workers' must be > 0"),
        ({"user_agent": "  "}, "'user_agent' must not be empty"),
    ],
)
def test_bad_values_are_rejected(data: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FetchSettings.from_mapping(data)


def test_not_a_mapping() -> None:
    with pytest.raises(ValueError, match="must be a mapping"):
        FetchSettings.from_mapping(["timeout_s", 5])  # type: ignore[arg-type]


def test_settings_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        FetchSettings().retries = 5  # type: ignore[misc]
