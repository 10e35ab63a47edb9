-- How many outlets reported each event, and what each one said: the audit trail in one view.
select
    cuts.company,
    cuts.division,
    cuts.quarter,
    cuts.headcount_low as consensus_low,
    cuts.headcount_high as consensus_high,
    sources.site_name,
    sources.published_on,
    sources.headcount_text,
    sources.is_first_report,
    sources.evidence
from {{ ref('fct_cuts') }} as cuts
inner join {{ ref('fct_cut_sources') }} as sources on sources.cut_id = cuts.cut_id
where cuts.source_count > 1
order by cuts.announced_on, cuts.company, sources.published_on
