{#- Calendar quarter label of a date: 2024-04-03 -> '2024-Q2'. -#}
{% macro quarter_label(date_expr) -%}
    (cast(year({{ date_expr }}) as varchar) || '-Q' || cast(quarter({{ date_expr }}) as varchar))
{%- endmacro %}

{#- The fiscal calendar, by month. A company's fiscal year ends in month `fye_month` (1-12; NULL is
    12, the calendar year) and is named either by the calendar year it ends in (`named_by` 'end':
    Microsoft's July 2023 - June 2024 is FY2024, Walmart's February 2024 - January 2025 is fiscal
    2025) or by the calendar year it starts in ('start': Target's February 2024 - January 2025 is
    fiscal 2024). Only the month of the date counts: a 52/53-week year that ends on a Saturday near
    the month's end (Apple, Cisco, Target) is treated as ending on the last day of that month.
    dim_fiscal_calendar applies these once per company and month; fct_cuts reads the result. -#}

{#- 1-12: the month's place in the fiscal year (Cisco, July year end: August is 1, February is 7). -#}
{% macro fiscal_month_of_year(date_expr, fye_month) -%}
    (((month({{ date_expr }}) - coalesce({{ fye_month }}, 12) - 1 + 24) % 12) + 1)
{%- endmacro %}

{#- 1-4: the fiscal quarter within the fiscal year. -#}
{% macro fiscal_quarter_of_year(date_expr, fye_month) -%}
    ((({{ fiscal_month_of_year(date_expr, fye_month) }} - 1) // 3) + 1)
{%- endmacro %}

{#- The fiscal year's number as the company writes it. The year ends in the date's calendar year
    unless the date's month comes after the year-end month; a year named by its start is one less
    (for a December year end, start and end are the same calendar year). -#}
{% macro fiscal_year_number(date_expr, fye_month, named_by="'end'") -%}
    (year({{ date_expr }})
     + case when month({{ date_expr }}) > coalesce({{ fye_month }}, 12) then 1 else 0 end
     - case when coalesce({{ named_by }}, 'end') = 'start' and coalesce({{ fye_month }}, 12) <> 12 then 1 else 0 end)
{%- endmacro %}

{#- Fiscal quarter label: 'FY2024-Q3'. -#}
{% macro fiscal_quarter_label(date_expr, fye_month, named_by="'end'") -%}
    ('FY' || cast({{ fiscal_year_number(date_expr, fye_month, named_by) }} as varchar)
     || '-Q' || cast({{ fiscal_quarter_of_year(date_expr, fye_month) }} as varchar))
{%- endmacro %}
