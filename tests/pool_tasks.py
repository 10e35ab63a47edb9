"""Functions the worker-pool tests run in worker processes (importable by name, as the pool needs)."""

import os
import signal
import time


def double(item):
    if item == "hang":
        time.sleep(3600)
    if item == "exit":
        os._exit(3)
    if item == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    if item == "raise":
        raise ValueError("bad item")
    return item * 2


def environment(_item):
    return os.environ.get("LAYOFFS_TEST_MARK")


def worker_pid(_item):
    return os.getpid()
