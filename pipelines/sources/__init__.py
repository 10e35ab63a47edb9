"""Where articles come from. One module per kind of source, each with a `discover(spec)` that
yields `DiscoveredPage`s; `discover_all` runs them and never lets one broken source stop the rest."""

from pipelines.sources.config import SourceError, SourcesConfig, SourceSpec, load_sources
from pipelines.sources.discovery import DiscoveredPage, DiscoveryProblem, discover_all

__all__ = [
    "DiscoveredPage",
    "DiscoveryProblem",
    "SourceError",
    "SourceSpec",
    "SourcesConfig",
    "discover_all",
    "load_sources",
]
