with source_articles as (
    select * from {{ source('raw', 'articles') }}
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
