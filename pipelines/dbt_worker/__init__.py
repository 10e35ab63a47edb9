"""dbt in a worker process that starts with the run and builds when the dbt step asks.

Starting dbt costs a few seconds before it runs a single model: importing dbt and parsing the
project. A worker started when the run starts pays that while the Python steps run, so the dbt
step pays only for the build itself (see docs/scaling.md and the README's performance section).
"""

from pipelines.dbt_worker.handle import DbtBuildOutcome, DbtWorker, DbtWorkerError

__all__ = ["DbtBuildOutcome", "DbtWorker", "DbtWorkerError"]
