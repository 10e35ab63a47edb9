-- Mentions grouped into cut events: one company, one division (or company-wide), and reports
-- whose dates chain within `event_window_days` of each other. Each outlet's report of the same
-- cut lands in the same event; a cut months later at the same unit starts a new one.
with mentions as (
    select * from {{ ref('int_cut_mentions_normalised') }}
    where announced_on is not null
),

ordered as (
    select
        *,
        lag(announced_on) over (
            partition by company, division_key order by announced_on, article_url, mention_id
        ) as previous_announced_on
    from mentions
),

event_starts as (
    select
        *,
        case
            when previous_announced_on is null then 1
            when announced_on - previous_announced_on > {{ var('event_window_days') }} then 1
            else 0
        end as starts_event
    from ordered
),

numbered as (
    select
        *,
        sum(starts_event) over (
            partition by company, division_key order by announced_on, article_url, mention_id
            rows between unbounded preceding and current row
        ) as event_number
    from event_starts
),

with_first_report as (
    select
        *,
        min(announced_on) over (partition by company, division_key, event_number) as first_announced_on
    from numbered
)

select
    md5(company || '|' || division_key || '|' || cast(first_announced_on as varchar)) as cut_id,
    mention_id,
    article_url,
    site_name,
    published_on,
    company,
    division,
    division_path,
    division_key,
    headcount_low,
    headcount_high,
    headcount_text,
    workforce_pct,
    announced_on,
    first_announced_on,
    quarter,
    evidence,
    evidence_start,
    evidence_end,
    confidence,
    shared_headcount_group,
    status,
    reason,
    location,
    extractor_version,
    headcount_low is not null and headcount_low = headcount_high as is_exact_figure
from with_first_report
