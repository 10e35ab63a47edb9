-- Append-only in raw: built incrementally, only new or rewritten rows each run (macros/incremental_rows.sql).
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['article_url', 'extractor_version'],
    on_schema_change='sync_all_columns'
) }}

with source_log as (
    select * from {{ source('raw', 'extraction_log') }} as incoming
    {{ new_or_rewritten_rows('incoming', ['article_url', 'extractor_version'], 'extracted_at') }}
)

select
    article_url,
    extractor_version,
    facts,
    extracted_at,
    -- Rows written before the outcome column existed are successful readings.
    coalesce(outcome, 'ok') as outcome,
    error,
    attempts
from source_log
