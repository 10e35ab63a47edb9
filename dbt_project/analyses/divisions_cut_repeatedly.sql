-- Divisions cut in more than one quarter: where restructuring keeps coming back.
select
    company,
    division,
    count(distinct quarter) as quarters_with_cuts,
    list(distinct quarter order by quarter) as quarters,
    sum(headcount_low) as headcount_low,
    sum(headcount_high) as headcount_high
from {{ ref('fct_cuts') }}
where division is not null
group by company, division
having count(distinct quarter) > 1
order by quarters_with_cuts desc, company, division
