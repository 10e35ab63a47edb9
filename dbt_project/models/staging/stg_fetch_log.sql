-- Append-only in raw: built incrementally, only new or rewritten rows each run (macros/incremental_rows.sql).
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='attempt_id',
    on_schema_change='sync_all_columns'
) }}

with source_attempts as (
    select * from {{ source('raw', 'fetch_log') }} as incoming
    {{ new_or_rewritten_rows('incoming', ['attempt_id'], 'fetched_at') }}
)

select
    attempt_id,
    url,
    source_name,
    outcome,
    status,
    error,
    final_url,
    content_type,
    bytes_read,
    truncated,
    attempts,
    elapsed_s,
    fetched_at
from source_attempts
