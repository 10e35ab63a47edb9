-- Every name a company goes by (its canonical name and each alias), lower-cased for matching.
with companies as (
    select * from {{ ref('companies') }}
),

canonical_names as (
    select company, lower(trim(company)) as name_key
    from companies
),

alias_names as (
    select companies.company, lower(trim(alias.name)) as name_key
    from companies, unnest(string_split(coalesce(companies.aliases, ''), '|')) as alias(name)
    where trim(alias.name) <> ''
)

select distinct company, name_key
from (select * from canonical_names union all select * from alias_names)
-- A name shared by two companies says nothing about which one is meant.
qualify count(distinct company) over (partition by name_key) = 1
