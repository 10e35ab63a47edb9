-- Mentions grouped into cut events (int_cut_event_groups), each with its event's stable cut_id
-- (int_cut_id_history): one company, one division (or company-wide), reports within
-- `event_window_days` of the event's first report whose exact figures agree. Each outlet's report
-- of the same cut lands in the same event; a later cut at the same unit starts a new one.
with grouped as (
    select * from {{ ref('int_cut_event_groups') }}
),

-- The id this build gave each report: its pair seen in the latest build.
current_ids as (
    select report_key, cut_id
    from {{ ref('int_cut_id_history') }}
    qualify row_number() over (partition by report_key order by last_seen_build desc, cut_id) = 1
)

select
    current_ids.cut_id,
    grouped.event_key,
    grouped.report_key,
    grouped.mention_id,
    grouped.article_url,
    grouped.site_name,
    grouped.published_on,
    grouped.company,
    grouped.division,
    grouped.division_path,
    grouped.division_key,
    grouped.headcount_low,
    grouped.headcount_high,
    grouped.headcount_text,
    grouped.workforce_pct,
    grouped.announced_on,
    grouped.first_announced_on,
    grouped.last_announced_on,
    grouped.quarter,
    grouped.evidence,
    grouped.evidence_start,
    grouped.evidence_end,
    grouped.confidence,
    grouped.shared_headcount_group,
    grouped.status,
    grouped.reason,
    grouped.location,
    grouped.announced_precision,
    grouped.effective_on,
    grouped.effective_precision,
    grouped.part_of_mention_id,
    grouped.extractor_version,
    grouped.is_exact_figure
from grouped
left join current_ids
    on current_ids.report_key = grouped.report_key
