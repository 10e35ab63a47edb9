-- Each company's fiscal quarter for every calendar quarter with cuts, from its fiscal year end
-- (Microsoft's year ends in June, so April-June 2024 is its FY2024-Q4).
with quarters as (
    select * from {{ ref('dim_quarters') }}
),

companies as (
    select company, fiscal_year_end_month from {{ ref('dim_companies') }}
)

select
    companies.company,
    quarters.quarter,
    {{ fiscal_quarter_label('quarters.quarter_start', 'companies.fiscal_year_end_month') }} as fiscal_quarter,
    coalesce(companies.fiscal_year_end_month, 12) as fiscal_year_end_month,
    companies.fiscal_year_end_month is null as is_assumed_calendar_year
from companies
cross join quarters
