{#-
    The filter of an incremental staging model: the source rows whose key is not built yet, or
    that were written after the newest row built (a row rewritten under the same key, e.g. an
    error outcome replaced by its retry, carries a newer timestamp). The key test catches rows a
    concurrent writer committed while the last build ran, with a timestamp older than the newest
    built row. Rows deleted from raw (only `layoffs reprocess` deletes) are not seen here: reprocess
    asks for a full refresh (pipelines/warehouse/build_state.py).
-#}
{% macro new_or_rewritten_rows(alias, key_columns, written_at) %}
    {%- if is_incremental() -%}
    where {{ alias }}.{{ written_at }} > (select max({{ written_at }}) from {{ this }})
       or not exists (
           select 1 from {{ this }} as built
           where {% for column in key_columns %}built.{{ column }} = {{ alias }}.{{ column }}{% if not loop.last %} and {% endif %}{% endfor %}
       )
    {%- endif -%}
{% endmacro %}
