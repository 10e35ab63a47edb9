{#- Calendar quarter label of a date: 2024-04-03 -> '2024-Q2'. -#}
{% macro quarter_label(date_expr) -%}
    (cast(year({{ date_expr }}) as varchar) || '-Q' || cast(quarter({{ date_expr }}) as varchar))
{%- endmacro %}

{#- Fiscal quarter label for a fiscal year ending in month `fye_month` (12 = calendar year).
    The fiscal year is named after the calendar year in which it ends (Microsoft's July 2023 - June 2024 is FY2024). -#}
{% macro fiscal_quarter_label(date_expr, fye_month) -%}
    ('FY' || cast(year({{ date_expr }}) + case when month({{ date_expr }}) > coalesce({{ fye_month }}, 12) then 1 else 0 end as varchar)
     || '-Q' || cast(((month({{ date_expr }}) - coalesce({{ fye_month }}, 12) - 1 + 24) % 12) // 3 + 1 as varchar))
{%- endmacro %}
