{#-
    The pipeline's work database keeps its write-ahead log when dbt closes it, as the pipeline's
    own steps do (pipelines/warehouse/checkpoints.py says why: a close-time checkpoint rewrites
    every table an incremental model appended to, which costs in proportion to all history).
    DuckDB still checkpoints by itself once the log outgrows checkpoint_threshold. A hand-run
    build in the development copy (the `dev` target) is left as DuckDB behaves by default.
-#}
{% macro keep_work_db_log_on_close() %}
    {%- if execute and target.name == 'pipeline' -%}
        {%- do run_query("pragma disable_checkpoint_on_shutdown") -%}
    {%- endif -%}
{% endmacro %}
