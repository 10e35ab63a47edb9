{{ config(meta={"dagster": {"ref": {"name": "fct_cuts"}}}) }}

-- A part (part_of_cut_id) points at another event of the same company, and no chain of parts
-- comes back to where it started: totals leave parts out, so a loop would drop every figure in
-- it. Returns each event that breaks this.
with recursive cuts as (
    select cut_id, company, part_of_cut_id from {{ ref('fct_cuts') }}
),

-- Each part's chain of wholes, up to the depth at which any loop would have closed.
chains as (
    select cut_id as start_id, part_of_cut_id as whole_id, 1 as depth
    from cuts
    where part_of_cut_id is not null

    union all

    select chains.start_id, cuts.part_of_cut_id, chains.depth + 1
    from chains
    inner join cuts on cuts.cut_id = chains.whole_id
    where cuts.part_of_cut_id is not null and chains.depth < 20
)

select parts.cut_id, parts.company, parts.part_of_cut_id, 'whole is not an event of the same company' as problem
from cuts as parts
left join cuts as wholes
    on wholes.cut_id = parts.part_of_cut_id
where parts.part_of_cut_id is not null
  and (wholes.cut_id is null or wholes.company <> parts.company)

union all

select distinct start_id, null, null, 'a chain of parts loops back' as problem
from chains
where whole_id = start_id
