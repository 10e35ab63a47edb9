-- Append-only in raw: built incrementally, only new or rewritten rows each run (macros/incremental_rows.sql).
-- The post-hook: a newer extractor's reading of an article replaces the facts of the reading before
-- it, so those leave the built table too, not only the new batch.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='mention_id',
    on_schema_change='sync_all_columns',
    post_hook="delete from {{ this }} as built where not exists (select 1 from (select article_url, arg_max(extractor_version, extracted_at) as extractor_version from {{ source('raw', 'extraction_log') }} where outcome is distinct from 'error' group by article_url) as latest where latest.article_url = built.article_url and latest.extractor_version = built.extractor_version)"
) }}

-- Only the newest extractor's reading of each article counts: an upgraded extractor re-reads
-- stored articles, and its facts replace the old ones instead of adding to them. A reading that
-- crashed (outcome 'error', retried by later runs) is no reading: the last good one stays in use.
with source_mentions as (
    select * from {{ source('raw', 'cut_mentions') }} as incoming
    {{ new_or_rewritten_rows('incoming', ['mention_id'], 'extracted_at') }}
),

latest_reading as (
    select article_url, arg_max(extractor_version, extracted_at) as extractor_version
    from {{ source('raw', 'extraction_log') }}
    where outcome is distinct from 'error'
    group by article_url
)

select
    source_mentions.mention_id,
    source_mentions.article_url,
    source_mentions.extractor_version,
    source_mentions.mention_index,
    trim(source_mentions.company) as company,
    nullif(trim(source_mentions.division), '') as division,
    source_mentions.division_path,
    cast(source_mentions.headcount_low as integer) as headcount_low,
    cast(source_mentions.headcount_high as integer) as headcount_high,
    source_mentions.headcount_text,
    source_mentions.workforce_pct,
    cast(source_mentions.announced_on as date) as announced_on,
    source_mentions.evidence,
    source_mentions.evidence_start,
    source_mentions.evidence_end,
    source_mentions.confidence,
    source_mentions.shared_headcount_group,
    lower(trim(source_mentions.status)) as status,
    lower(trim(source_mentions.reason)) as reason,
    nullif(trim(source_mentions.location), '') as location,
    lower(trim(source_mentions.announced_precision)) as announced_precision,
    cast(source_mentions.effective_on as date) as effective_on,
    lower(trim(source_mentions.effective_precision)) as effective_precision,
    source_mentions.part_of_mention_id,
    source_mentions.extracted_at
from source_mentions
inner join latest_reading
    on source_mentions.article_url = latest_reading.article_url
    and source_mentions.extractor_version = latest_reading.extractor_version
