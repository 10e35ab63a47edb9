-- Cut mentions with canonical company and division names, the date they refer to, and their quarter.
with mentions as (
    select * from {{ ref('stg_cut_mentions') }}
),

articles as (
    select url, published_on, site_name from {{ ref('stg_articles') }}
),

company_names as (
    select * from {{ ref('int_company_names') }}
),

division_names as (
    select * from {{ ref('int_division_names') }}
),

-- A unit that news names as if it were a company (Twitch, AWS) is a division of its parent,
-- when the name belongs to exactly one parent.
units_named_as_companies as (
    select name_key, any_value(company) as company, any_value(division) as division
    from division_names
    group by name_key
    having count(distinct company) = 1
),

companies_resolved as (
    select
        mentions.*,
        coalesce(company_names.company, units_named_as_companies.company, mentions.company) as canonical_company,
        case
            when company_names.company is null and units_named_as_companies.company is not null
                then coalesce(mentions.division, units_named_as_companies.division)
            else mentions.division
        end as stated_division
    from mentions
    left join company_names
        on company_names.name_key = lower(mentions.company)
    left join units_named_as_companies
        on company_names.company is null and units_named_as_companies.name_key = lower(mentions.company)
),

divisions_resolved as (
    select
        companies_resolved.*,
        coalesce(division_names.division, companies_resolved.stated_division) as canonical_division,
        coalesce(division_names.division_path, companies_resolved.division_path, companies_resolved.stated_division)
            as canonical_division_path
    from companies_resolved
    left join division_names
        on division_names.company = companies_resolved.canonical_company
        and division_names.name_key = lower(companies_resolved.stated_division)
)

select
    divisions_resolved.mention_id,
    divisions_resolved.article_url,
    articles.site_name,
    articles.published_on,
    divisions_resolved.canonical_company as company,
    divisions_resolved.canonical_division as division,
    case when divisions_resolved.canonical_division is null then null
        else divisions_resolved.canonical_division_path end as division_path,
    coalesce(lower(divisions_resolved.canonical_division), '') as division_key,
    divisions_resolved.headcount_low,
    divisions_resolved.headcount_high,
    divisions_resolved.headcount_text,
    divisions_resolved.workforce_pct,
    coalesce(divisions_resolved.announced_on, articles.published_on) as announced_on,
    {{ quarter_label('coalesce(divisions_resolved.announced_on, articles.published_on)') }} as quarter,
    divisions_resolved.evidence,
    divisions_resolved.evidence_start,
    divisions_resolved.evidence_end,
    divisions_resolved.confidence,
    divisions_resolved.shared_headcount_group,
    divisions_resolved.status,
    divisions_resolved.reason,
    divisions_resolved.location,
    -- The publication date stands in, to the day, where the fact gives no date of its own.
    case when divisions_resolved.announced_on is null and articles.published_on is not null then 'day'
        else divisions_resolved.announced_precision end as announced_precision,
    divisions_resolved.effective_on,
    divisions_resolved.effective_precision,
    divisions_resolved.part_of_mention_id,
    divisions_resolved.extractor_version
from divisions_resolved
inner join articles
    on articles.url = divisions_resolved.article_url
-- Facts dated after today wait in marts.quarantined_cut_mentions (see macros/quarantine.sql).
where not {{ is_dated_after_today('coalesce(divisions_resolved.announced_on, articles.published_on)') }}
