-- Every name a division goes by within its company, with the division's full path.
with divisions as (
    select * from {{ ref('divisions') }}
),

paths as (
    select
        child.company,
        child.division,
        child.parent_division,
        concat_ws(' > ', grandparent.parent_division, parent.parent_division, child.parent_division, child.division)
            as division_path
    from divisions as child
    left join divisions as parent
        on parent.company = child.company and parent.division = child.parent_division
    left join divisions as grandparent
        on grandparent.company = parent.company and grandparent.division = parent.parent_division
),

alias_names as (
    select divisions.company, divisions.division, lower(trim(alias.name)) as name_key
    from divisions, unnest(string_split(coalesce(divisions.aliases, ''), '|')) as alias(name)
    where trim(alias.name) <> ''
),

all_names as (
    select company, division, lower(trim(division)) as name_key from divisions
    union
    select company, division, name_key from alias_names
)

select
    all_names.company,
    all_names.division,
    all_names.name_key,
    paths.parent_division,
    paths.division_path
from all_names
inner join paths
    on paths.company = all_names.company and paths.division = all_names.division
qualify count(distinct all_names.division) over (partition by all_names.company, all_names.name_key) = 1
