{{ config(meta={"dagster": {"ref": {"name": "dim_cut_id_aliases"}}}) }}

-- A retired cut_id is no event's id any more, and the id it points to is one (or NULL, when none
-- of its reports is in any event now).
select aliases.retired_cut_id, aliases.cut_id, 'retired id is still current' as problem
from {{ ref('dim_cut_id_aliases') }} as aliases
inner join {{ ref('fct_cuts') }} as cuts
    on cuts.cut_id = aliases.retired_cut_id

union all

select aliases.retired_cut_id, aliases.cut_id, 'points at no current event' as problem
from {{ ref('dim_cut_id_aliases') }} as aliases
left join {{ ref('fct_cuts') }} as cuts
    on cuts.cut_id = aliases.cut_id
where aliases.cut_id is not null and cuts.cut_id is null
