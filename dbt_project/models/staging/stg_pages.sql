-- The page bodies stay in raw: analysts want to know what was stored, not to scan megabytes of HTML.
with source_pages as (
    select * from {{ source('raw', 'pages') }}
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
