-- The key that groups reports of one unit, for every division name the reports use. Listed
-- divisions (the divisions seed and its aliases) are already folded to their canonical name;
-- this model folds what the seed does not know, so that one cut reported by several outlets is
-- one event and not three: "its cloud-computing unit" and "the cloud computing business" share
-- a key, "Azure for Operations" (a misspelling) joins "Azure for Operators", and "Azure for
-- Operators and Mission Engineering" joins "Azure for Operators" (a longer form of a name
-- already reported). One hop only: a name joins the closest name that ranks before it (listed
-- first, then shorter), never a chain of names.
with named as (
    select distinct company, division_key, division
    from {{ ref('int_cut_mentions_normalised') }}
    where division_key <> ''
),

listed as (
    select distinct company, lower(division) as division_key
    from {{ ref('int_division_names') }}
),

normalised as (
    select
        named.company,
        named.division_key,
        listed.division_key is not null as is_listed,
        case when listed.division_key is not null then named.division_key
            else {{ division_name_key('named.division', 'named.company') }} end as name_key
    from named
    left join listed
        on listed.company = named.company and listed.division_key = named.division_key
),

keys as (
    select company, name_key, bool_or(is_listed) as is_listed
    from normalised
    group by company, name_key
),

-- For each unlisted name, the name it joins: the same words but for a slip of spelling
-- (Jaro-Winkler similarity at least `division_name_similarity`), or a name this one starts with
-- and extends ("X and Y" after "X").
joins as (
    select
        source.company,
        source.name_key,
        target.name_key as joined_key
    from keys as source
    inner join keys as target
        on target.company = source.company
        and target.name_key <> source.name_key
        and (
            target.is_listed and not source.is_listed
            or target.is_listed = source.is_listed and (
                length(target.name_key) < length(source.name_key)
                or length(target.name_key) = length(source.name_key) and target.name_key < source.name_key
            )
        )
    where not source.is_listed
        and (
            jaro_winkler_similarity(source.name_key, target.name_key) >= {{ var('division_name_similarity') }}
            or starts_with(source.name_key, target.name_key || ' and ')
        )
    qualify row_number() over (
        partition by source.company, source.name_key
        order by target.is_listed desc, jaro_winkler_similarity(source.name_key, target.name_key) desc, target.name_key
    ) = 1
)

select
    normalised.company,
    normalised.division_key,
    coalesce(joins.joined_key, normalised.name_key) as grouping_key
from normalised
left join joins
    on joins.company = normalised.company and joins.name_key = normalised.name_key
