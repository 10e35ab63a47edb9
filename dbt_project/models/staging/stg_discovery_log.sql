-- Append-only in raw: built incrementally, only new or rewritten rows each run (macros/incremental_rows.sql).
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='listing_id',
    on_schema_change='sync_all_columns'
) }}

-- One row per source per discovery run: the only record of a listing that found nothing.
with source_listings as (
    select * from {{ source('raw', 'discovery_log') }} as incoming
    {{ new_or_rewritten_rows('incoming', ['listing_id'], 'listed_at') }}
)

select
    listing_id,
    run_id,
    source_name,
    source_kind,
    cast(discovered_on as date) as discovered_on,
    coalesce(listed, 0) as listed,
    coalesce(filtered_out, 0) as filtered_out,
    coalesce(new_urls, 0) as new_urls,
    coalesce(problems, 0) as problems,
    nullif(trim(error), '') as error,
    listed_at
from source_listings
