{#- True when a fact's date is after today. Such facts (a page that misdates itself, a plan for next
    year read as the date of the cut) are held back from the events and the marts, and listed in
    marts.quarantined_cut_mentions, until their day comes: one page must not fail the marts'
    not_in_future test and stop every run from publishing. -#}
{% macro is_dated_after_today(date_expr) -%}
    coalesce({{ date_expr }} > current_date, false)
{%- endmacro %}
