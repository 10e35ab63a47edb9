{#- Fails on values that are not calendar quarter labels such as '2024-Q2'. -#}
{% test is_quarter_label(model, column_name) %}
select *
from {{ model }}
where {{ column_name }} is not null
  and not regexp_full_match({{ column_name }}, '(19|20)[0-9]{2}-Q[1-4]')
{% endtest %}
