{{ config(meta={"dagster": {"ref": {"name": "fct_cuts_by_division_quarter"}}}) }}

-- fct_cuts_by_division_quarter must add up to the events in fct_cuts for each company, division
-- (NULL = company-wide) and quarter: the number of events, how many of them are parts of another
-- cut, and the sums of their ranges, with the whole counted and not whole + part (a part whose
-- whole is in the same row adds nothing; a part of a cut in another row, such as Twitch's 400
-- inside Amazon's company-wide 9,000, is its own unit's cut and counts in its own row).
with events as (
    select
        *,
        exists (
            select 1 from {{ ref('fct_cuts') }} as wholes
            where wholes.cut_id = cuts.part_of_cut_id
                and wholes.company = cuts.company
                and wholes.division is not distinct from cuts.division
                and wholes.quarter = cuts.quarter
        ) as whole_in_same_row
    from {{ ref('fct_cuts') }} as cuts
),

from_events as (
    select
        company,
        division,
        quarter,
        count(*) as cut_events,
        count(part_of_cut_id) as part_events,
        sum(case when not whole_in_same_row then headcount_low end) as headcount_low,
        sum(case when not whole_in_same_row then headcount_high end) as headcount_high
    from events
    group by company, division, quarter
),

mart as (
    select * from {{ ref('fct_cuts_by_division_quarter') }}
)

select
    coalesce(mart.company, from_events.company) as company,
    coalesce(mart.division, from_events.division) as division,
    coalesce(mart.quarter, from_events.quarter) as quarter,
    mart.cut_events as mart_cut_events,
    from_events.cut_events as event_count,
    mart.headcount_low as mart_headcount_low,
    from_events.headcount_low as events_headcount_low,
    mart.headcount_high as mart_headcount_high,
    from_events.headcount_high as events_headcount_high
from mart
full outer join from_events
    on from_events.company = mart.company
    and from_events.division is not distinct from mart.division
    and from_events.quarter = mart.quarter
where mart.company is null
   or from_events.company is null
   or mart.cut_events is distinct from from_events.cut_events
   or mart.part_events is distinct from from_events.part_events
   or mart.headcount_low is distinct from from_events.headcount_low
   or mart.headcount_high is distinct from from_events.headcount_high
