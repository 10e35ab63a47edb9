-- One row per cut event and source article: what each outlet said, in its own sentence.
with event_mentions as (
    select * from {{ ref('int_cut_events') }}
)

select
    cut_id,
    article_url,
    any_value(site_name) as site_name,
    any_value(published_on) as published_on,
    min(announced_on) as announced_on,
    min(announced_on) = any_value(first_announced_on) as is_first_report,
    first(announced_precision order by announced_on, confidence desc, mention_id) as announced_precision,
    first(effective_on order by confidence desc, mention_id) filter (where effective_on is not null) as effective_on,
    first(effective_precision order by confidence desc, mention_id) filter (where effective_on is not null)
        as effective_precision,
    first(headcount_low order by confidence desc, mention_id) as headcount_low,
    first(headcount_high order by confidence desc, mention_id) as headcount_high,
    first(headcount_text order by confidence desc, mention_id) as headcount_text,
    first(evidence order by confidence desc, mention_id) as evidence,
    first(evidence_start order by confidence desc, mention_id) as evidence_start,
    first(evidence_end order by confidence desc, mention_id) as evidence_end,
    max(confidence) as confidence,
    first(status order by confidence desc, mention_id) as status,
    first(reason order by confidence desc, mention_id) as reason,
    first(location order by confidence desc, mention_id) filter (where location is not null) as location,
    any_value(extractor_version) as extractor_version
from event_mentions
group by cut_id, article_url
