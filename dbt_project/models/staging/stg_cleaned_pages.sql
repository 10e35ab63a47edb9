-- Append-only in raw: built incrementally, only new or rewritten rows each run (macros/incremental_rows.sql).
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['page_url', 'content_sha256'],
    on_schema_change='sync_all_columns'
) }}

with source_outcomes as (
    select * from {{ source('raw', 'cleaned_pages') }} as incoming
    {{ new_or_rewritten_rows('incoming', ['page_url', 'content_sha256'], 'cleaned_at') }}
)

select
    page_url,
    content_sha256,
    outcome,
    article_url,
    cleaned_at,
    error,
    attempts
from source_outcomes
