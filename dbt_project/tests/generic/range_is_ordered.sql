{#- Fails on rows whose lower bound is above their upper bound (nulls on either side pass). -#}
{% test range_is_ordered(model, low_column, high_column) %}
select *
from {{ model }}
where {{ low_column }} is not null
  and {{ high_column }} is not null
  and {{ low_column }} > {{ high_column }}
{% endtest %}
