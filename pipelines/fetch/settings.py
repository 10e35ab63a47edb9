"""Fetcher configuration, read from the ``fetch:`` block of sources.yml."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class FetchSettings:
    user_agent: str = "layoffs-pipeline/0.1 (+https://github.com/layoffs-pipeline/layoffs-pipeline)"
    per_host_delay_s: float = 1.0
    timeout_s: float = 20.0
    max_bytes: int = 5_000_000
    retries: int = 3
    max_redirects: int = 5
    allow_private_networks: bool = False
    max_workers: int = 8
    # First retry waits this long, each later one twice as long as the previous.
    backoff_base_s: float = 1.0
    # A server asking for an hour's pause would otherwise stall a whole batch.
    retry_after_cap_s: float = 60.0

    def __post_init__(self) -> None:
        for f in fields(self):
            _check_type(f.name, getattr(self, f.name), f.type)
        if not self.user_agent.strip():
            raise ValueError("fetch setting 'user_agent' must not be empty")
        for name in ("per_host_delay_s", "retries", "max_redirects", "backoff_base_s", "retry_after_cap_s"):
            if getattr(self, name) < 0:
                raise ValueError(f"fetch setting {name!r} must be >= 0, got {getattr(self, name)!r}")
        for name in ("timeout_s", "max_bytes", "max_workers"):
            if getattr(self, name) <= 0:
                raise ValueError(f"fetch setting {name!r} must be > 0, got {getattr(self, name)!r}")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> FetchSettings:
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise ValueError(f"the fetch block must be a mapping, got {type(data).__name__}")
        known = {f.name for f in fields(cls)}
        unknown = sorted(str(key) for key in data if key not in known)
        if unknown:
            raise ValueError(
                f"unknown fetch setting(s): {', '.join(unknown)}; "
                f"allowed keys are: {', '.join(sorted(known))}"
            )
        return cls(**dict(data))


def _check_type(name: str, value: Any, declared: str) -> None:
    # YAML hands us ints where floats are meant ("timeout_s: 20"), which is fine,
    # but a bool is an int in Python and "retries: yes" is surely a mistake.
    if declared == "bool":
        ok = isinstance(value, bool)
    elif declared == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif declared == "float":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    else:
        ok = isinstance(value, str)
    if not ok:
        raise ValueError(f"fetch setting {name!r} must be of type {declared}, got {value!r}")
