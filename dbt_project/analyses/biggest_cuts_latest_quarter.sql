-- The largest cut events of the most recent quarter with any cuts, with the sentence behind each.
with latest as (
    select max(quarter) as quarter from {{ ref('fct_cuts') }}
)

select company, division, announced_on, headcount_low, headcount_high, headcount_text, source_count, evidence
from {{ ref('fct_cuts') }}
where quarter = (select quarter from latest)
order by coalesce(headcount_high, 0) desc, company
limit 20
