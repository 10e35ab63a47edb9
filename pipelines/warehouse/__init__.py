"""The DuckDB side of the pipeline: the raw tables Python owns, bulk loading, and publishing."""

from pipelines.warehouse.loading import insert_new_rows
from pipelines.warehouse.publish import publish_warehouse
from pipelines.warehouse.raw_tables import RAW_TABLES, ensure_raw_schema

__all__ = ["RAW_TABLES", "ensure_raw_schema", "insert_new_rows", "publish_warehouse"]
