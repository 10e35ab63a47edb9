-- Each company's fiscal calendar, by month: the fiscal year, quarter and month every calendar month
-- falls in, for every company and every month from the first to the last cut. The one place the
-- fiscal rules (macros/calendar.sql) are applied; fct_cuts looks up the month of each event here.
with months as (
    select cast(month_start as date) as month_start
    from (select min(quarter_start) as first_start, max(quarter_start) as last_start from {{ ref('dim_quarters') }}) as bounds,
        range(bounds.first_start, bounds.last_start + interval 3 month, interval 1 month) as calendar_months(month_start)
),

companies as (
    select company, fiscal_year_end_month, fiscal_year_named_by from {{ ref('dim_companies') }}
)

select
    companies.company,
    months.month_start,
    cast(months.month_start + interval 1 month - interval 1 day as date) as month_end,
    {{ quarter_label('months.month_start') }} as quarter,
    cast({{ fiscal_year_number('months.month_start', 'companies.fiscal_year_end_month', 'companies.fiscal_year_named_by') }} as integer)
        as fiscal_year,
    cast({{ fiscal_quarter_of_year('months.month_start', 'companies.fiscal_year_end_month') }} as integer)
        as fiscal_quarter_of_year,
    cast({{ fiscal_month_of_year('months.month_start', 'companies.fiscal_year_end_month') }} as integer)
        as fiscal_month_of_year,
    {{ fiscal_quarter_label('months.month_start', 'companies.fiscal_year_end_month', 'companies.fiscal_year_named_by') }}
        as fiscal_quarter,
    coalesce(companies.fiscal_year_end_month, 12) as fiscal_year_end_month,
    companies.fiscal_year_named_by,
    companies.fiscal_year_end_month is null as is_assumed_calendar_year
from companies
cross join months
