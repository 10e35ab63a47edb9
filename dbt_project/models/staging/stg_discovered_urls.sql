with source_urls as (
    select * from {{ source('raw', 'discovered_urls') }}
)

select
    url,
    source_name,
    source_kind,
    title,
    cast(discovered_on as date) as discovered_on,
    discovered_at
from source_urls
