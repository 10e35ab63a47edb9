-- One row per cut event. Several reports of one cut (several outlets, or one outlet twice)
-- collapse into one row here; see the `cut_event` and `headcount_consensus` docs.
with event_mentions as (
    select * from {{ ref('int_cut_events') }}
),

companies as (
    select company, fiscal_year_end_month from {{ ref('dim_companies') }}
),

events as (
    select
        cut_id,
        any_value(company) as company,
        any_value(division) as division,
        any_value(division_path) as division_path,
        min(announced_on) as announced_on,
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
        max(confidence) as confidence
    from event_mentions
    group by cut_id
)

select
    events.cut_id,
    events.company,
    events.division,
    events.division_path,
    events.announced_on,
    {{ quarter_label('events.announced_on') }} as quarter,
    {{ fiscal_quarter_label('events.announced_on', 'companies.fiscal_year_end_month') }} as fiscal_quarter,
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
    events.confidence
from events
left join companies
    on companies.company = events.company
