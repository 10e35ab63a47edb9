{#- Fails on rows whose list column is null or empty: every cut event needs a source. -#}
{% test list_not_empty(model, column_name) %}
select *
from {{ model }}
where {{ column_name }} is null or len({{ column_name }}) = 0
{% endtest %}
