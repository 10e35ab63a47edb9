with source_log as (
    select * from {{ source('raw', 'extraction_log') }}
)

select
    article_url,
    extractor_version,
    facts,
    extracted_at
from source_log
