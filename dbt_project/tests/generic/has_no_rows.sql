{#- Returns every row of the model (narrowed with the `where` config): with severity warn, a
    warning that says how many there are, e.g. facts held back in quarantined_cut_mentions. -#}
{% test has_no_rows(model) %}
select *
from {{ model }}
{% endtest %}
