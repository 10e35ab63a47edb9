"""The pipeline's steps as plain functions over a DuckDB connection, testable without Dagster.

Each step reads what the previous one left in the `raw` schema, works only on what it has not
done yet, and commits each batch in one transaction: a step killed half way and run again
finishes the remaining work and adds nothing twice.
"""
