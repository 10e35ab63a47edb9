-- Append-only in raw: built incrementally, only new or rewritten rows each run (macros/incremental_rows.sql).
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='url',
    on_schema_change='sync_all_columns'
) }}

-- The page bodies stay in raw: analysts want to know what was stored, not to scan megabytes of HTML.
with source_pages as (
    select * from {{ source('raw', 'pages') }} as incoming
    {{ new_or_rewritten_rows('incoming', ['url'], 'fetched_at') }}
)

select
    url,
    final_url,
    source_name,
    source_kind,
    content_sha256,
    content_type,
    charset,
    bytes,
    truncated,
    fetched_at
from source_pages
