{#- Fails on values outside 0-1 (nulls pass): a rate such as a share of failed fetches. -#}
{% test is_share(model, column_name) %}
select *
from {{ model }}
where {{ column_name }} < 0 or {{ column_name }} > 1
{% endtest %}
