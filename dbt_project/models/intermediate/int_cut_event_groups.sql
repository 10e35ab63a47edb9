-- Mentions grouped into cut events: one company, one division (or company-wide), and reports that
-- fall within `event_window_days` of the event's FIRST report and whose exact figures agree within
-- `event_figure_tolerance_pct` (see dbt_project.yml for why each value). The reports of one unit
-- are walked in date order by a recursive CTE, because whether a report joins depends on where
-- the current event started, which a window function cannot see. The stable cut_id is assigned
-- afterwards, from this grouping and the ids earlier builds gave (int_cut_id_history).
with recursive mentions as (
    -- Division names the seed does not list are grouped by int_division_keys' key, so outlets
    -- that name one unit differently report one event.
    select
        mentions.* replace (coalesce(division_keys.grouping_key, mentions.division_key) as division_key),
        mentions.headcount_low is not null and mentions.headcount_low = mentions.headcount_high as is_exact_figure
    from {{ ref('int_cut_mentions_normalised') }} as mentions
    left join {{ ref('int_division_keys') }} as division_keys
        on division_keys.company = mentions.company and division_keys.division_key = mentions.division_key
    where mentions.announced_on is not null
),

-- Each report with its place in its unit's walk, and a key that names the report without the
-- extractor version (mention_id changes whenever a new extractor re-reads the article): company,
-- unit, article and date, numbered in the rare case one article gives two facts for all four.
reports as materialized (
    select
        *,
        row_number() over (
            partition by company, division_key order by announced_on, article_url, mention_id
        ) as report_number,
        md5(concat_ws('|', company, division_key, article_url, cast(announced_on as varchar), cast(row_number() over (
            partition by company, division_key, article_url, announced_on
            order by headcount_low nulls last, headcount_high nulls last, mention_id
        ) as varchar))) as report_key
    from mentions
),

-- One step per report: it joins the open event, or starts the next one. The state carried from
-- step to step is the open event's number, the date of its first report, and the envelope of the
-- exact figures it has so far.
walk as (
    select
        company,
        division_key,
        report_number,
        1 as event_number,
        announced_on as event_started_on,
        case when is_exact_figure then headcount_low end as event_exact_low,
        case when is_exact_figure then headcount_high end as event_exact_high
    from reports
    where report_number = 1

    union all

    select
        company,
        division_key,
        report_number,
        event_number + case when starts_event then 1 else 0 end,
        case when starts_event then announced_on else event_started_on end,
        -- least/greatest skip NULLs: a report without an exact figure leaves the envelope as it is.
        case when starts_event then exact_figure else least(event_exact_low, exact_figure) end,
        case when starts_event then exact_figure else greatest(event_exact_high, exact_figure) end
    from (
        select
            next_report.company,
            next_report.division_key,
            next_report.report_number,
            next_report.announced_on,
            walk.event_number,
            walk.event_started_on,
            walk.event_exact_low,
            walk.event_exact_high,
            case when next_report.is_exact_figure then next_report.headcount_low end as exact_figure,
            -- Too late for the open event: the window counts from its first report.
            next_report.announced_on - walk.event_started_on > {{ var('event_window_days') }}
            -- Or an exact figure, on a later day than the event's first, that is more than the
            -- tolerance away from every exact figure the event has.
            or (
                next_report.is_exact_figure
                and next_report.announced_on > walk.event_started_on
                and walk.event_exact_low is not null
                and (
                    cast(next_report.headcount_low as bigint) * (100 + {{ var('event_figure_tolerance_pct') }})
                        < cast(walk.event_exact_low as bigint) * 100
                    or cast(next_report.headcount_low as bigint) * 100
                        > cast(walk.event_exact_high as bigint) * (100 + {{ var('event_figure_tolerance_pct') }})
                )
            ) as starts_event
        from walk
        inner join reports as next_report
            on next_report.company = walk.company
            and next_report.division_key = walk.division_key
            and next_report.report_number = walk.report_number + 1
    )
),

grouped as (
    select
        reports.*,
        walk.event_number,
        walk.event_started_on as first_announced_on
    from reports
    inner join walk
        on walk.company = reports.company
        and walk.division_key = reports.division_key
        and walk.report_number = reports.report_number
)

select
    -- The key of the event's first report: what a brand-new event's cut_id will be.
    first_value(report_key) over (
        partition by company, division_key, event_number order by report_number
    ) as event_key,
    report_key,
    event_number,
    report_number,
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
    max(announced_on) over (partition by company, division_key, event_number) as last_announced_on,
    quarter,
    evidence,
    evidence_start,
    evidence_end,
    confidence,
    shared_headcount_group,
    status,
    reason,
    location,
    announced_precision,
    effective_on,
    effective_precision,
    part_of_mention_id,
    extractor_version,
    is_exact_figure
from grouped
