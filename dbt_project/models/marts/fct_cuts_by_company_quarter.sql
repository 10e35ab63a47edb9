-- Cuts per company and quarter. A figure stated once for two units counts once here, and a part
-- of another cut (part_of_cut_id: "about 400 Twitch jobs go as part of the round" beside Amazon's
-- 9,000) counts in its whole, not again beside it: the headcount is the wholes', each once.
with cuts as (
    select * from {{ ref('fct_cuts') }}
),

figures as (
    select
        company,
        quarter,
        headcount_share_key,
        max(headcount_low) as headcount_low,
        max(headcount_high) as headcount_high
    from cuts
    where part_of_cut_id is null
    group by company, quarter, headcount_share_key
),

figure_totals as (
    select company, quarter, sum(headcount_low) as headcount_low, sum(headcount_high) as headcount_high
    from figures
    group by company, quarter
),

event_counts as (
    select
        company,
        quarter,
        count(*) as cut_events,
        count(*) filter (where part_of_cut_id is not null) as part_events,
        count(distinct division) as divisions_cut,
        bool_or(division is null) as has_company_wide_cut,
        sum(source_count) as source_reports
    from cuts
    group by company, quarter
)

select
    event_counts.company,
    event_counts.quarter,
    cast(event_counts.cut_events as integer) as cut_events,
    cast(event_counts.part_events as integer) as part_events,
    cast(event_counts.divisions_cut as integer) as divisions_cut,
    event_counts.has_company_wide_cut,
    cast(figure_totals.headcount_low as integer) as headcount_low,
    cast(figure_totals.headcount_high as integer) as headcount_high,
    cast(event_counts.source_reports as integer) as source_reports
from event_counts
-- A quarter whose only events are parts of a whole in another quarter has no headcount of its own.
left join figure_totals
    on figure_totals.company = event_counts.company and figure_totals.quarter = event_counts.quarter
