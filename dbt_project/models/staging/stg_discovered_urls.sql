-- Append-only in raw: built incrementally, only new or rewritten rows each run (macros/incremental_rows.sql).
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='url',
    on_schema_change='sync_all_columns'
) }}

with source_urls as (
    select * from {{ source('raw', 'discovered_urls') }} as incoming
    {{ new_or_rewritten_rows('incoming', ['url'], 'discovered_at') }}
)

select
    url,
    source_name,
    source_kind,
    title,
    cast(discovered_on as date) as discovered_on,
    discovered_at
from source_urls
