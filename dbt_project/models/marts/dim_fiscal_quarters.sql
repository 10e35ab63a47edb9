-- Calendar quarter to fiscal quarter, per company, only where that is one fiscal quarter: for
-- companies whose fiscal year ends in March, June, September or December (Microsoft: April-June
-- 2024 is FY2024-Q4). A year ending in any other month cuts across calendar quarters (Cisco's
-- year ends in July, so January-March 2024 is the last month of its FY2024-Q2 and the first two
-- of FY2024-Q3): such a company has no rows here, and its fiscal quarters come by month from
-- dim_fiscal_calendar, or per event from fct_cuts.fiscal_quarter.
with calendar as (
    select * from {{ ref('dim_fiscal_calendar') }}
)

select
    company,
    quarter,
    any_value(fiscal_quarter) as fiscal_quarter,
    any_value(fiscal_year_end_month) as fiscal_year_end_month,
    any_value(fiscal_year_named_by) as fiscal_year_named_by,
    bool_and(is_assumed_calendar_year) as is_assumed_calendar_year
from calendar
group by company, quarter
-- The three months of the calendar quarter lie in one fiscal quarter.
having count(distinct fiscal_quarter) = 1
