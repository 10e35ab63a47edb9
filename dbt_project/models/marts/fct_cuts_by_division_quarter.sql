-- Cuts per company, division and calendar quarter: the table the project exists to produce.
-- Each row is one unit's cuts. A part of another cut (part_of_cut_id) is its own unit's cut and
-- counts in its own row; only a part whose whole falls in the same row is left out of the row's
-- headcount, so the row counts the whole and not whole + part. Rows of different units do not
-- add up to a company total (Twitch's 400 is inside Amazon's company-wide 9,000): use
-- fct_cuts_by_company_quarter for that.
with cuts as (
    select * from {{ ref('fct_cuts') }}
),

sources as (
    select * from {{ ref('fct_cut_sources') }}
),

counted as (
    select
        cuts.*,
        cuts.part_of_cut_id is not null as is_part,
        wholes.cut_id is not null as whole_in_same_row
    from cuts
    left join cuts as wholes
        on wholes.cut_id = cuts.part_of_cut_id
        and wholes.company = cuts.company
        and wholes.division is not distinct from cuts.division
        and wholes.quarter = cuts.quarter
),

distinct_sources as (
    select cuts.company, cuts.division, cuts.quarter, count(distinct sources.article_url) as source_count
    from cuts
    inner join sources on sources.cut_id = cuts.cut_id
    group by cuts.company, cuts.division, cuts.quarter
)

select
    counted.company,
    counted.division,
    counted.quarter,
    cast(count(*) as integer) as cut_events,
    cast(sum(counted.headcount_low) filter (where not counted.whole_in_same_row) as integer) as headcount_low,
    cast(sum(counted.headcount_high) filter (where not counted.whole_in_same_row) as integer) as headcount_high,
    cast(any_value(distinct_sources.source_count) as integer) as source_count,
    cast(count(*) filter (where counted.is_part) as integer) as part_events
from counted
inner join distinct_sources
    on distinct_sources.company = counted.company
    and distinct_sources.division is not distinct from counted.division
    and distinct_sources.quarter = counted.quarter
group by counted.company, counted.division, counted.quarter
