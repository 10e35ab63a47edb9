"""Knowing when the pipeline breaks: per-source health and its warnings, dbt source freshness,
the Dagster checks and sensors that report them, and the notifier (webhook and SMTP email)."""
