{{ config(meta={"dagster": {"ref": {"name": "fct_cuts"}}}) }}

-- source_count and source_urls in fct_cuts must agree with the per-source rows in fct_cut_sources.
with per_event as (
    select cut_id, count(*) as sources from {{ ref('fct_cut_sources') }} group by cut_id
)

select fct_cuts.cut_id, fct_cuts.source_count, per_event.sources
from {{ ref('fct_cuts') }} as fct_cuts
left join per_event on per_event.cut_id = fct_cuts.cut_id
where per_event.sources is null
   or per_event.sources <> fct_cuts.source_count
   or len(fct_cuts.source_urls) <> fct_cuts.source_count
