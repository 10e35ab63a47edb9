-- Every division in the reference list, plus every division the extractor found that is not on it.
with reference_divisions as (
    select distinct company, division, parent_division, division_path
    from {{ ref('int_division_names') }}
),

reference_aliases as (
    select company, division, aliases from {{ ref('divisions') }}
),

found_divisions as (
    select company, division, any_value(division_path) as division_path
    from {{ ref('int_cut_mentions_normalised') }}
    where division is not null
    group by company, division
),

all_divisions as (
    select
        coalesce(reference_divisions.company, found_divisions.company) as company,
        coalesce(reference_divisions.division, found_divisions.division) as division,
        reference_divisions.parent_division,
        coalesce(reference_divisions.division_path, found_divisions.division_path, found_divisions.division)
            as division_path,
        reference_divisions.division is not null as in_reference_list
    from reference_divisions
    full outer join found_divisions
        on found_divisions.company = reference_divisions.company
        and found_divisions.division = reference_divisions.division
)

select
    md5(all_divisions.company || '|' || all_divisions.division) as division_id,
    all_divisions.company,
    all_divisions.division,
    all_divisions.parent_division,
    all_divisions.division_path,
    reference_aliases.aliases,
    all_divisions.in_reference_list
from all_divisions
left join reference_aliases
    on reference_aliases.company = all_divisions.company and reference_aliases.division = all_divisions.division
