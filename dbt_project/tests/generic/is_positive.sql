{#- Fails on values below one (nulls pass): a headcount or a count of sources is at least one. -#}
{% test is_positive(model, column_name) %}
select *
from {{ model }}
where {{ column_name }} < 1
{% endtest %}
