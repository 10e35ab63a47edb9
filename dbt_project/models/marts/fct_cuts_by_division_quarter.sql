-- Cuts per company, division and calendar quarter: the table the project exists to produce.
with cuts as (
    select * from {{ ref('fct_cuts') }}
),

sources as (
    select * from {{ ref('fct_cut_sources') }}
),

distinct_sources as (
    select cuts.company, cuts.division, cuts.quarter, count(distinct sources.article_url) as source_count
    from cuts
    inner join sources on sources.cut_id = cuts.cut_id
    group by cuts.company, cuts.division, cuts.quarter
)

select
    cuts.company,
    cuts.division,
    cuts.quarter,
    cast(count(*) as integer) as cut_events,
    cast(sum(cuts.headcount_low) as integer) as headcount_low,
    cast(sum(cuts.headcount_high) as integer) as headcount_high,
    cast(any_value(distinct_sources.source_count) as integer) as source_count
from cuts
inner join distinct_sources
    on distinct_sources.company = cuts.company
    and distinct_sources.division is not distinct from cuts.division
    and distinct_sources.quarter = cuts.quarter
group by cuts.company, cuts.division, cuts.quarter
