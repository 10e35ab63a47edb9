{#-
    A hand-run `uv run dbt build` builds in a development copy (profiles.yml's default `dev`
    target, data/dev.duckdb), never in the analysts' published warehouse: that file is only ever
    replaced whole by a pipeline run, and building in it in place fails whenever an analyst has it
    open.

    On the first build (the copy has no `raw` schema yet), the published warehouse is attached
    read-only (analysts' open sessions allow that) and two things are copied in: the raw tables the
    models read (without page bodies, which the warehouse does not hold), and the incremental models' tables (the cut id history, so ids match the
    warehouse's). Everything else the build makes itself. To start again from the newest
    warehouse, delete data/dev.duckdb (or the file LAYOFFS_DEV_DB names).
-#}
{% macro create_development_copy() %}
    {%- if execute and target.name == 'dev' -%}
        {%- set has_raw = run_query("select count(*) from information_schema.schemata where catalog_name = current_database() and schema_name = 'raw'").columns[0].values()[0] -%}
        {%- if has_raw == 0 -%}
            {%- set published = env_var('LAYOFFS_DB', 'data/warehouse.duckdb') -%}
            {%- if run_query("select count(*) from glob('" ~ published ~ "')").columns[0].values()[0] == 0 -%}
                {{ exceptions.raise_compiler_error(
                    "No published warehouse at " ~ published ~ " to make the development copy from: run `uv run layoffs run` first"
                    ~ " (or point LAYOFFS_DB at one).") }}
            {%- endif -%}
            {%- set incremental = [] -%}
            {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.config.materialized == 'incremental' -%}
                {%- do incremental.append(node.schema ~ '.' ~ node.alias) -%}
            {%- endfor -%}
            {{ log("development copy: raw tables and " ~ (incremental | join(', ')) ~ " from " ~ published ~ " into " ~ target.path, info=True) }}
            {%- do run_query("attach '" ~ published ~ "' as published_warehouse (read_only)") -%}
            {%- set tables = run_query("select table_schema, table_name from information_schema.tables where table_catalog = 'published_warehouse' and table_type = 'BASE TABLE' order by 1, 2") -%}
            {%- for row in tables.rows if row[0] == 'raw' or (row[0] ~ '.' ~ row[1]) in incremental -%}
                {%- do run_query("create schema if not exists \"" ~ row[0] ~ "\"") -%}
                {%- do run_query("create or replace table \"" ~ row[0] ~ "\".\"" ~ row[1] ~ "\" as select * from published_warehouse.\"" ~ row[0] ~ "\".\"" ~ row[1] ~ "\"") -%}
                {%- if row[0] != 'raw' -%}
                    {#- dbt listed its relations before this hook ran: tell it this one exists now. -#}
                    {%- do adapter.cache_added(api.Relation.create(database=target.database, schema=row[0], identifier=row[1], type='table')) -%}
                {%- endif -%}
            {%- endfor -%}
            {#- The published warehouse leaves page bodies (the HTML and the article text) in the
                pipeline's store (pipelines/warehouse/publish.py): those columns come back here so
                the sources and stg_articles keep their shape. No model reads the HTML; the text is
                empty rather than null, so stg_articles' not_null test means the same in every
                target (a test enabled per target would be missing from the packaged manifest). -#}
            {%- do run_query("alter table raw.pages add column if not exists html_gzip blob") -%}
            {%- do run_query("alter table raw.articles add column if not exists text varchar default ''") -%}
            {%- if 'staging.stg_articles' in incremental -%}
                {%- do run_query("alter table staging.stg_articles add column if not exists text varchar default ''") -%}
            {%- endif -%}
            {%- do run_query("detach published_warehouse") -%}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}
