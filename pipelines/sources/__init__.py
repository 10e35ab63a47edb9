"""Where articles come from. One module per kind of source, each with a `discover(spec)` that
yields `DiscoveredPage`s and `DiscoveryProblem`s (kinds that download their listings also take the
fetch settings); `discover_all` runs them, applies the keyword filter, drops duplicate URLs, and
never lets one broken source stop the rest."""

from pipelines.sources.config import SourceError, SourcesConfig, SourceSpec, load_sources
from pipelines.sources.discovery import DiscoveredPage, DiscoveryOutcome, DiscoveryProblem, discover_all

__all__ = [
    "DiscoveredPage",
    "DiscoveryOutcome",
    "DiscoveryProblem",
    "SourceError",
    "SourceSpec",
    "SourcesConfig",
    "discover_all",
    "load_sources",
]
