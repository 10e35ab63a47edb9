"""Bounded retries of pages and articles whose cleaning or extraction crashed.

A crash (an exception, a page over the per-item time limit, a worker process that died: see
pipelines/parallel.py) is recorded as outcome `error` with its message and the number of attempts
so far, never as "no article" or "no facts". Later runs try it again until it has had
`MAX_ATTEMPTS`; after that it stays `error` (visible in raw.cleaned_pages / raw.extraction_log
and their staging models) until `layoffs reprocess` or a new extractor version starts afresh.
"""

from __future__ import annotations

from pipelines.parallel import TaskFailed

MAX_ATTEMPTS = 3


def failure_message(failure: TaskFailed) -> str:
    return f"{failure.kind}: {failure.message}"[:2000]
