"""Measuring the extractor against labelled pages: `layoffs eval`."""

from .labels import DEFAULT_LABELS, Event, LabelledPage, default_cache_dir, load_labelled_pages
from .report import format_report
from .scoring import EvalReport, PageResult, evaluate

__all__ = [
    "DEFAULT_LABELS",
    "EvalReport",
    "Event",
    "LabelledPage",
    "PageResult",
    "default_cache_dir",
    "evaluate",
    "format_report",
    "load_labelled_pages",
]
