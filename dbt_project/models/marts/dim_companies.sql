-- Every company in the reference list, plus every company the extractor found that is not on it.
with reference_companies as (
    select * from {{ ref('companies') }}
),

found_companies as (
    select distinct company from {{ ref('int_cut_mentions_normalised') }}
)

select
    coalesce(reference_companies.company, found_companies.company) as company,
    reference_companies.parent_company,
    reference_companies.ticker,
    reference_companies.country,
    reference_companies.industry,
    cast(reference_companies.fiscal_year_end_month as integer) as fiscal_year_end_month,
    -- How the company numbers its fiscal year: by the calendar year it ends in (most) or starts in.
    coalesce(nullif(lower(trim(reference_companies.fiscal_year_named_by)), ''), 'end') as fiscal_year_named_by,
    -- A year ending in March, June, September or December is made of whole calendar quarters.
    coalesce(cast(reference_companies.fiscal_year_end_month as integer), 12) in (3, 6, 9, 12)
        as fiscal_quarters_align_with_calendar,
    reference_companies.aliases,
    reference_companies.company is not null as in_reference_list
from reference_companies
full outer join found_companies
    on found_companies.company = reference_companies.company
