-- Every cut_id that was published once and is no longer an event's id, with the id that took its
-- place: join a saved reference on retired_cut_id to find today's cut_id. Built from the id
-- history each build (int_cut_id_history), so a chain of retirements (A retired to B, later B to
-- C) always points at today's id, C.
with history as (
    select * from {{ ref('int_cut_id_history') }}
),

current_events as (
    select report_key, cut_id, first_announced_on from {{ ref('int_cut_events') }}
),

current_ids as (
    select distinct cut_id from current_events
),

retired as (
    select
        history.cut_id as retired_cut_id,
        any_value(history.company) as company,
        min(history.first_seen_at) as first_assigned_at,
        max(history.last_seen_at) as last_assigned_at
    from history
    where history.cut_id not in (select cut_id from current_ids where cut_id is not null)
    group by history.cut_id
),

-- The current event that took over a retired id: the one holding the report that started it,
-- else the one holding most of its reports (the rule int_cut_id_history gives ids by).
successors as (
    select
        history.cut_id as retired_cut_id,
        current_events.cut_id,
        count(*) as reports_moved
    from history
    inner join retired
        on retired.retired_cut_id = history.cut_id
    inner join current_events
        on current_events.report_key = history.report_key
    group by history.cut_id, current_events.cut_id
    qualify row_number() over (
        partition by history.cut_id
        order by bool_or(history.report_key = history.cut_id) desc, count(*) desc,
            min(current_events.first_announced_on), current_events.cut_id
    ) = 1
)

select
    retired.retired_cut_id,
    successors.cut_id,
    retired.company,
    cast(coalesce(successors.reports_moved, 0) as integer) as reports_moved,
    retired.first_assigned_at,
    retired.last_assigned_at
from retired
left join successors
    on successors.retired_cut_id = retired.retired_cut_id
