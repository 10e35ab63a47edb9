-- Which cut_id each report has carried, build after build: the memory that keeps cut ids stable.
-- Incremental, and never rebuilt from scratch (full_refresh=false): each build adds the pairs
-- (report, cut_id) it has not seen before and marks every pair it sees again; pairs no longer
-- current stay, so a retired id can always be traced to the event that took over its reports.
--
-- How a current event gets its id (the rules, with examples, are in the model's description):
--   1. every id that any of its reports carried before is a claim on it;
--   2. each earlier id goes to one event: the one holding the report that first started it (a new
--      id is its first report's key), else the one holding most of its reports;
--   3. an event keeps the oldest id it was given (first built earliest, then earliest started),
--      and its other ids are retired to it (dim_cut_id_aliases);
--   4. an event given no earlier id is new: its id is the key of its first report (event_key).
-- No id can go to two events, and a new id cannot repeat an old one: an old id equal to this
-- event's first report key would have been given to this event by rule 2.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['report_key', 'cut_id'],
    full_refresh=false,
    on_schema_change='append_new_columns'
) }}

with current_reports as (
    select report_key, event_key, company, division_key, article_url, announced_on, first_announced_on
    from {{ ref('int_cut_event_groups') }}
),

history as (
    {% if is_incremental() %}
    select report_key, cut_id, announced_on, first_seen_build, last_seen_build, first_seen_at
    from {{ this }}
    {% else %}
    select
        cast(null as varchar) as report_key,
        cast(null as varchar) as cut_id,
        cast(null as date) as announced_on,
        cast(null as integer) as first_seen_build,
        cast(null as integer) as last_seen_build,
        cast(null as timestamp) as first_seen_at
    where false
    {% endif %}
),

this_build as (
    select
        cast(coalesce(max(last_seen_build), 0) + 1 as integer) as build_number,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp) as built_at
    from history
),

events as (
    select event_key, min(first_announced_on) as first_announced_on
    from current_reports
    group by event_key
),

-- Rule 1: the earlier ids the reports of each current event carried.
claims as (
    select
        current_reports.event_key,
        history.cut_id,
        count(*) as reports_carried,
        bool_or(current_reports.report_key = history.cut_id) as holds_first_report
    from current_reports
    inner join history
        on history.report_key = current_reports.report_key
    group by current_reports.event_key, history.cut_id
),

-- Rule 2: each earlier id to one event.
given_ids as (
    select claims.event_key, claims.cut_id
    from claims
    inner join events
        on events.event_key = claims.event_key
    qualify row_number() over (
        partition by claims.cut_id
        order by claims.holds_first_report desc, claims.reports_carried desc, events.first_announced_on, claims.event_key
    ) = 1
),

id_ages as (
    select
        cut_id,
        min(first_seen_build) as first_seen_build,
        min(announced_on) filter (where report_key = cut_id) as started_on
    from history
    group by cut_id
),

-- Rule 3: the oldest id an event was given survives.
surviving_ids as (
    select
        given_ids.event_key,
        first(given_ids.cut_id order by id_ages.first_seen_build, id_ages.started_on nulls last, given_ids.cut_id)
            as cut_id
    from given_ids
    inner join id_ages
        on id_ages.cut_id = given_ids.cut_id
    group by given_ids.event_key
),

-- Rule 4: an event with no earlier id is named by its first report.
assigned as (
    select
        current_reports.*,
        coalesce(surviving_ids.cut_id, current_reports.event_key) as cut_id
    from current_reports
    left join surviving_ids
        on surviving_ids.event_key = current_reports.event_key
)

select
    assigned.report_key,
    assigned.cut_id,
    assigned.company,
    assigned.division_key,
    assigned.article_url,
    assigned.announced_on,
    coalesce(history.first_seen_build, this_build.build_number) as first_seen_build,
    this_build.build_number as last_seen_build,
    coalesce(history.first_seen_at, this_build.built_at) as first_seen_at,
    this_build.built_at as last_seen_at
from assigned
cross join this_build
left join history
    on history.report_key = assigned.report_key
    and history.cut_id = assigned.cut_id
