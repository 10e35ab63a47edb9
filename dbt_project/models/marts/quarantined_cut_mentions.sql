-- Facts the extractor found that the events and marts leave out, and why: dated after today (held
-- back until the day comes, see macros/quarantine.sql) or with no date at all (neither the fact
-- nor its article gives one, so no event or quarter can hold it). Scraped pages get such dates
-- wrong now and then; one of them must not stop the warehouse from publishing, nor vanish unseen.
with mentions as (
    select * from {{ ref('stg_cut_mentions') }}
),

articles as (
    select url, published_on, site_name from {{ ref('stg_articles') }}
),

dated as (
    select
        mentions.*,
        articles.site_name,
        articles.published_on,
        coalesce(mentions.announced_on, articles.published_on) as fact_date
    from mentions
    inner join articles
        on articles.url = mentions.article_url
)

select
    mention_id,
    article_url,
    site_name,
    published_on,
    company,
    division,
    headcount_low,
    headcount_high,
    headcount_text,
    fact_date as announced_on,
    evidence,
    extractor_version,
    extracted_at,
    case
        when fact_date is null then 'no date'
        else 'dated after today'
    end as quarantine_reason
from dated
where fact_date is null or {{ is_dated_after_today('fact_date') }}
