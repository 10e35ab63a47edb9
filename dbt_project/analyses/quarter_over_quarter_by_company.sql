-- Change in cut events and headcount from one quarter to the next, per company, quarters without cuts included.
with company_quarters as (
    select companies.company, quarters.quarter, quarters.quarter_start
    from (select distinct company from {{ ref('fct_cuts') }}) as companies
    cross join {{ ref('dim_quarters') }} as quarters
),

filled as (
    select
        company_quarters.company,
        company_quarters.quarter,
        company_quarters.quarter_start,
        coalesce(totals.cut_events, 0) as cut_events,
        coalesce(totals.headcount_low, 0) as headcount_low
    from company_quarters
    left join {{ ref('fct_cuts_by_company_quarter') }} as totals
        on totals.company = company_quarters.company and totals.quarter = company_quarters.quarter
)

select
    company,
    quarter,
    cut_events,
    cut_events - lag(cut_events) over (partition by company order by quarter_start) as change_in_events,
    headcount_low,
    headcount_low - lag(headcount_low) over (partition by company order by quarter_start) as change_in_headcount_low
from filled
order by company, quarter_start
