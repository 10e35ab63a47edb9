{{ config(meta={"dagster": {"ref": {"name": "fct_cuts_by_company_quarter"}}}) }}

-- fct_cuts_by_company_quarter must add up to the events in fct_cuts, company by company and
-- quarter by quarter: every event counted once, and every stated figure counted once (events
-- that share one figure between two units carry the same headcount_share_key; the figure counts
-- once, at the largest value any of them gives), and the whole counted, not whole + parts: an
-- event that is a part of another (part_of_cut_id: "about 400 Twitch jobs go as part of the
-- round" beside Amazon's 9,000) counts as an event but adds nothing to the headcount, since its
-- whole has it. Returns each company and quarter where the mart and the events disagree, or that
-- only one side has.
with events as (
    select * from {{ ref('fct_cuts') }}
),

-- Each stated figure once: events sharing a figure give it at most once, at its largest; parts
-- give nothing of their own.
figures as (
    select company, quarter, max(headcount_low) as headcount_low, max(headcount_high) as headcount_high
    from events
    where part_of_cut_id is null
    group by company, quarter, headcount_share_key
),

figure_totals as (
    select company, quarter, sum(headcount_low) as headcount_low, sum(headcount_high) as headcount_high
    from figures
    group by company, quarter
),

from_events as (
    select
        events.company,
        events.quarter,
        count(*) as cut_events,
        count(events.part_of_cut_id) as part_events,
        count(distinct events.division) as divisions_cut,
        bool_or(events.division is null) as has_company_wide_cut,
        any_value(figure_totals.headcount_low) as headcount_low,
        any_value(figure_totals.headcount_high) as headcount_high,
        sum(events.source_count) as source_reports
    from events
    left join figure_totals
        on figure_totals.company = events.company and figure_totals.quarter = events.quarter
    group by events.company, events.quarter
),

mart as (
    select * from {{ ref('fct_cuts_by_company_quarter') }}
)

select
    coalesce(mart.company, from_events.company) as company,
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
    and from_events.quarter = mart.quarter
where mart.company is null
   or from_events.company is null
   or mart.cut_events is distinct from from_events.cut_events
   or mart.part_events is distinct from from_events.part_events
   or mart.divisions_cut is distinct from from_events.divisions_cut
   or mart.has_company_wide_cut is distinct from from_events.has_company_wide_cut
   or mart.headcount_low is distinct from from_events.headcount_low
   or mart.headcount_high is distinct from from_events.headcount_high
   or mart.source_reports is distinct from from_events.source_reports
