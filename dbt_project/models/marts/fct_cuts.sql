-- One row per cut event. Several reports of one cut (several outlets, or one outlet twice)
-- collapse into one row here; see the `cut_event` and `headcount_consensus` docs.
with event_mentions as (
    select
        *,
        -- Finest first: the order in which precisions are preferred.
        case announced_precision when 'day' then 1 when 'week' then 2 when 'month' then 3 when 'quarter' then 4
            when 'year' then 5 end as announced_precision_rank,
        case effective_precision when 'day' then 1 when 'month' then 2 when 'quarter' then 3 when 'year' then 4
            end as effective_precision_rank,
        min(announced_on) over (partition by cut_id) as event_announced_on
    from {{ ref('int_cut_events') }}
),

-- A report whose figure the article gave as a part of another ("about 400 Twitch jobs go as part
-- of the round") makes its event a part of the event holding that whole. The event a majority of
-- such reports point to wins (then the earliest whole); an event is never a part of itself.
part_links as (
    select parts.cut_id, wholes.cut_id as whole_cut_id, count(*) as reports, min(wholes.announced_on) as whole_on
    from event_mentions as parts
    inner join event_mentions as wholes
        on wholes.mention_id = parts.part_of_mention_id
    where wholes.cut_id <> parts.cut_id
    group by parts.cut_id, wholes.cut_id
),

event_wholes as (
    select cut_id, first(whole_cut_id order by reports desc, whole_on, whole_cut_id) as part_of_cut_id
    from part_links
    group by cut_id
),

fiscal_calendar as (
    select company, month_start, fiscal_quarter from {{ ref('dim_fiscal_calendar') }}
),

-- Each outlet's report votes once for its reason; 'other' (no cue found) does not vote. A tie
-- goes to the reason of the report the evidence sentence would come from.
reason_votes as (
    select
        cut_id,
        reason,
        count(distinct article_url) as reports,
        min(evidence_rank) as best_rank
    from (
        select
            *,
            row_number() over (
                partition by cut_id order by is_exact_figure desc, confidence desc, announced_on, article_url, mention_id
            ) as evidence_rank
        from event_mentions
    )
    where reason is not null and reason <> 'other'
    group by cut_id, reason
),

event_reasons as (
    select cut_id, first(reason order by reports desc, best_rank) as reason
    from reason_votes
    group by cut_id
),

events as (
    select
        cut_id,
        any_value(company) as company,
        any_value(division) as division,
        any_value(division_path) as division_path,
        min(announced_on) as announced_on,
        max(announced_on) as last_reported_on,
        -- Exact figures beat vague ones; where exact figures disagree, keep their envelope.
        case
            when bool_or(is_exact_figure) then min(headcount_low) filter (where is_exact_figure)
            else min(headcount_low)
        end as headcount_low,
        case
            when bool_or(is_exact_figure) then max(headcount_high) filter (where is_exact_figure)
            else max(headcount_high)
        end as headcount_high,
        string_agg(distinct headcount_text, '; ' order by headcount_text) as headcount_text,
        max(workforce_pct) as workforce_pct,
        count(distinct article_url) as source_count,
        list_sort(list(distinct article_url)) as source_urls,
        count(*) as mention_count,
        first(evidence order by is_exact_figure desc, confidence desc, announced_on, article_url) as evidence,
        first(article_url order by is_exact_figure desc, confidence desc, announced_on, article_url)
            as evidence_url,
        -- Facts that share one stated figure across two units (same article, same group) carry
        -- the same key, so company totals can count that figure once.
        first(
            case when shared_headcount_group is null then cut_id
                else article_url || '#' || cast(shared_headcount_group as varchar) end
            order by is_exact_figure desc, confidence desc, announced_on, article_url
        ) as headcount_share_key,
        max(confidence) as confidence,
        -- The furthest any report got: a cut one outlet saw announced and another saw carried
        -- out has been carried out; a plan that any outlet reports as announced is announced.
        case max(case status when 'completed' then 3 when 'announced' then 2 when 'planned' then 1 end)
            when 3 then 'completed'
            when 2 then 'announced'
            when 1 then 'planned'
        end as status,
        first(location order by is_exact_figure desc, confidence desc, announced_on, article_url)
            filter (where location is not null) as location,
        -- The precision of the report that gave the event's date (the finest, when several did).
        first(announced_precision order by announced_on, announced_precision_rank nulls last)
            as announced_precision,
        -- The finest effective period any report states (the earliest on a tie), among those that
        -- do not start before the announcement's period.
        first(effective_on order by effective_precision_rank, effective_on)
            filter (where effective_on >= cast(date_trunc(effective_precision, event_announced_on) as date))
            as effective_on,
        first(effective_precision order by effective_precision_rank, effective_on)
            filter (where effective_on >= cast(date_trunc(effective_precision, event_announced_on) as date))
            as effective_precision
    from event_mentions
    group by cut_id
)

select
    events.cut_id,
    events.company,
    events.division,
    events.division_path,
    events.announced_on,
    events.announced_precision,
    events.last_reported_on,
    {{ quarter_label('events.announced_on') }} as quarter,
    -- The company's fiscal quarter of the event's date, from its fiscal calendar (by month).
    fiscal_calendar.fiscal_quarter,
    cast(events.headcount_low as integer) as headcount_low,
    cast(events.headcount_high as integer) as headcount_high,
    events.headcount_text,
    events.workforce_pct,
    cast(events.source_count as integer) as source_count,
    events.source_urls,
    cast(events.mention_count as integer) as mention_count,
    events.evidence,
    events.evidence_url,
    events.headcount_share_key,
    events.confidence,
    events.status,
    coalesce(event_reasons.reason, 'other') as reason,
    events.location,
    events.effective_on,
    events.effective_precision,
    -- The event this one is a part of: its figure is inside that event's, and totals leave it out.
    event_wholes.part_of_cut_id
from events
left join fiscal_calendar
    on fiscal_calendar.company = events.company
    and fiscal_calendar.month_start = date_trunc('month', events.announced_on)
left join event_reasons
    on event_reasons.cut_id = events.cut_id
left join event_wholes
    on event_wholes.cut_id = events.cut_id
