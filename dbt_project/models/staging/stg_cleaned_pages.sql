with source_outcomes as (
    select * from {{ source('raw', 'cleaned_pages') }}
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
