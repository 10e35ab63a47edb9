with source_log as (
    select * from {{ source('raw', 'extraction_log') }}
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
