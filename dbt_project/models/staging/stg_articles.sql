-- Append-only in raw: built incrementally, only new or rewritten rows each run (macros/incremental_rows.sql).
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='url',
    on_schema_change='sync_all_columns'
) }}

with source_articles as (
    select * from {{ source('raw', 'articles') }} as incoming
    {{ new_or_rewritten_rows('incoming', ['url'], 'cleaned_at') }}
)

select
    url,
    title,
    site_name,
    cast(published_on as date) as published_on,
    language,
    text,
    page_url,
    text_sha256,
    cleaned_at
from source_articles
