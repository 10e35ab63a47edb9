with source_attempts as (
    select * from {{ source('raw', 'fetch_log') }}
)

select
    attempt_id,
    url,
    source_name,
    outcome,
    status,
    error,
    final_url,
    content_type,
    bytes_read,
    truncated,
    attempts,
    elapsed_s,
    fetched_at
from source_attempts
