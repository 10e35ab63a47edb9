"""TEST-ONLY: make a worker misbehave on a marked page, to prove the steps survive it.

Never set this in a deployment. With the variable unset (always, outside the test suite) the
check is one dictionary look-up per page and does nothing.

    LAYOFFS_TEST_POISON="clean:hang:MARKER-A,clean:exit:MARKER-B,extract:raise:MARKER-C"

Each entry is `step:action:marker`. When the `step` ("clean" or "extract") meets a page whose
HTML (clean) or article text (extract) contains `marker`, it:

- hang: sleeps for an hour (the pool's per-item time limit must stop it),
- exit: ends the worker process at once with `os._exit(70)` (no cleanup, no exception),
- kill: sends the worker SIGKILL, as the OOM killer would,
- raise: raises RuntimeError, as a parser bug would.

The pool hands every `LAYOFFS_*` variable to its workers when they start
(pipelines/parallel.py), so setting it in the test's environment is enough.
"""

from __future__ import annotations

import os
import signal
import time
from functools import lru_cache

POISON_ENV = "LAYOFFS_TEST_POISON"
ACTIONS = ("hang", "exit", "kill", "raise")


@lru_cache(maxsize=8)
def _parse(value: str) -> tuple[tuple[str, str, str], ...]:
    entries = []
    for entry in value.split(","):
        step, _, rest = entry.strip().partition(":")
        action, _, marker = rest.partition(":")
        if step and action in ACTIONS and marker:
            entries.append((step, action, marker))
    return tuple(entries)


def poison_check(step: str, content: str) -> None:
    value = os.environ.get(POISON_ENV)
    if not value:
        return
    for entry_step, action, marker in _parse(value):
        if entry_step == step and marker in content:
            if action == "hang":
                time.sleep(3600)
            elif action == "exit":
                os._exit(70)
            elif action == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            else:
                raise RuntimeError(f"injected fault for test ({marker})")
