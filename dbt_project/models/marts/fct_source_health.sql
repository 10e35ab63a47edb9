-- Per source and discovery day: what the source listed, what became of those URLs (fetched,
-- failed and why, kept as articles, facts extracted) and what went wrong. A day is the discovery
-- day of the run (its partition), so a row describes the URLs first listed that day, whenever they
-- were fetched: a retry on a later run still counts under the day the URL was listed.
--
-- Listings come from stg_discovery_log, which has a row for every source on every run, so a feed
-- that listed nothing or could not be read still has its row (and its warning) here, where the
-- per-URL tables would have nothing. Thresholds (failure rate, days without a new article) live
-- in sources.yml's `health:` block and are applied by `layoffs status` and the Dagster checks;
-- this table flags only what needs no threshold (the `warnings` column).
with listings as (
    select
        source_name,
        discovered_on as day,
        arg_max(source_kind, listed_at) as source_kind,
        count(*) as listings,
        max(listed) as urls_listed,
        max(filtered_out) as urls_filtered_out,
        count(*) filter (where problems > 0) as failed_listings,
        sum(problems) as listing_problems,
        arg_max(error, listed_at) filter (where error is not null) as last_listing_error,
        arg_max(listed, listed_at) as last_listed,
        arg_max(problems, listed_at) as last_problems
    from {{ ref('stg_discovery_log') }}
    group by source_name, discovered_on
),

urls as (
    select url, source_name, source_kind, discovered_on as day
    from {{ ref('stg_discovered_urls') }}
),

listed_urls as (
    select source_name, day, arg_max(source_kind, url) as source_kind, count(*) as urls_new
    from urls
    group by source_name, day
),

attempts as (
    select
        urls.source_name,
        urls.day,
        attempt.outcome,
        case
            when attempt.outcome = 'error' and (attempt.status between 400 and 499 or attempt.error similar to 'HTTP 4[0-9][0-9]') then 'http_4xx'
            when attempt.outcome = 'error' and (attempt.status >= 500 or attempt.error similar to 'HTTP 5[0-9][0-9]') then 'http_5xx'
            when attempt.outcome = 'error' and attempt.error = 'timeout' then 'timeout'
            when attempt.outcome = 'error'
                and (attempt.error like 'connection failed%' or attempt.error like 'DNS lookup failed%'
                     or attempt.error like 'protocol error%' or attempt.error like 'transport error%') then 'connection'
            when attempt.outcome = 'error' then 'other'
            when attempt.outcome = 'skipped' and attempt.error like 'robots.txt%' then 'robots'
            when attempt.outcome = 'skipped' then 'skipped'
        end as failure_kind
    from {{ ref('stg_fetch_log') }} as attempt
    inner join urls on attempt.url = urls.url
),

fetches as (
    select
        source_name,
        day,
        count(*) as fetch_attempts,
        count(*) filter (where outcome = 'error') as fetch_errors,
        count(*) filter (where failure_kind = 'http_4xx') as failed_http_4xx,
        count(*) filter (where failure_kind = 'http_5xx') as failed_http_5xx,
        count(*) filter (where failure_kind = 'timeout') as failed_timeout,
        count(*) filter (where failure_kind = 'connection') as failed_connection,
        count(*) filter (where failure_kind = 'other') as failed_other,
        count(*) filter (where failure_kind = 'robots') as skipped_robots,
        count(*) filter (where failure_kind = 'skipped') as skipped_other
    from attempts
    group by source_name, day
),

stored as (
    select
        urls.source_name,
        urls.day,
        page.url as page_url,
        cleaning.outcome,
        cleaning.article_url
    from {{ ref('stg_pages') }} as page
    inner join urls on page.url = urls.url
    left join {{ ref('stg_cleaned_pages') }} as cleaning
        on cleaning.page_url = page.url and cleaning.content_sha256 = page.content_sha256
),

cleaned as (
    select
        source_name,
        day,
        count(distinct page_url) as pages_fetched,
        count(*) filter (where outcome = 'article') as articles_kept,
        count(*) filter (where outcome = 'duplicate') as duplicate_pages,
        count(*) filter (where outcome = 'no_article') as pages_without_article,
        count(*) filter (where outcome = 'error') as cleaning_errors
    from stored
    group by source_name, day
),

facts as (
    select stored.source_name, stored.day, count(*) as facts_extracted
    from stored
    inner join {{ ref('stg_cut_mentions') }} as mention on mention.article_url = stored.article_url
    where stored.outcome = 'article'
    group by stored.source_name, stored.day
),

extraction as (
    -- An article whose newest reading crashed (recorded as an error, retried by later runs).
    select stored.source_name, stored.day, count(*) as extraction_errors
    from stored
    inner join (
        select article_url, arg_max(outcome, extracted_at) as outcome
        from {{ ref('stg_extraction_log') }}
        group by article_url
    ) as reading on reading.article_url = stored.article_url
    where stored.outcome = 'article' and reading.outcome = 'error'
    group by stored.source_name, stored.day
),

source_days as (
    select source_name, day from listings
    union
    select source_name, day from listed_urls
),

joined as (
    select
        source_days.source_name,
        coalesce(listings.source_kind, listed_urls.source_kind) as source_kind,
        source_days.day,
        coalesce(listings.listings, 0) as listings,
        listings.urls_listed,
        listings.urls_filtered_out,
        coalesce(listed_urls.urls_new, 0) as urls_new,
        coalesce(listings.failed_listings, 0) as failed_listings,
        listings.last_listing_error,
        listings.last_listed,
        listings.last_problems,
        coalesce(listings.listing_problems, 0) as listing_problems,
        coalesce(fetches.fetch_attempts, 0) as fetch_attempts,
        coalesce(cleaned.pages_fetched, 0) as pages_fetched,
        coalesce(fetches.fetch_errors, 0) as fetch_errors,
        coalesce(fetches.failed_http_4xx, 0) as failed_http_4xx,
        coalesce(fetches.failed_http_5xx, 0) as failed_http_5xx,
        coalesce(fetches.failed_timeout, 0) as failed_timeout,
        coalesce(fetches.failed_connection, 0) as failed_connection,
        coalesce(fetches.failed_other, 0) as failed_other,
        coalesce(fetches.skipped_robots, 0) as skipped_robots,
        coalesce(fetches.skipped_other, 0) as skipped_other,
        coalesce(cleaned.articles_kept, 0) as articles_kept,
        coalesce(cleaned.duplicate_pages, 0) as duplicate_pages,
        coalesce(cleaned.pages_without_article, 0) as pages_without_article,
        coalesce(facts.facts_extracted, 0) as facts_extracted,
        coalesce(cleaned.cleaning_errors, 0) as cleaning_errors,
        coalesce(extraction.extraction_errors, 0) as extraction_errors
    from source_days
    left join listings on listings.source_name = source_days.source_name and listings.day = source_days.day
    left join listed_urls on listed_urls.source_name = source_days.source_name and listed_urls.day = source_days.day
    left join fetches on fetches.source_name = source_days.source_name and fetches.day = source_days.day
    left join cleaned on cleaned.source_name = source_days.source_name and cleaned.day = source_days.day
    left join facts on facts.source_name = source_days.source_name and facts.day = source_days.day
    left join extraction on extraction.source_name = source_days.source_name and extraction.day = source_days.day
)

select
    source_name,
    source_kind,
    day,
    listings,
    urls_listed,
    urls_filtered_out,
    urls_new,
    failed_listings,
    last_listing_error,
    fetch_attempts,
    pages_fetched,
    fetch_errors,
    case when fetch_attempts > 0 then round(fetch_errors / fetch_attempts, 4) end as fetch_failure_rate,
    failed_http_4xx,
    failed_http_5xx,
    failed_timeout,
    failed_connection,
    failed_other,
    skipped_robots,
    skipped_other,
    articles_kept,
    duplicate_pages,
    pages_without_article,
    facts_extracted,
    cleaning_errors,
    extraction_errors,
    listing_problems + cleaning_errors + extraction_errors as errors,
    nullif(concat_ws('; ',
        case when last_listed = 0 and last_problems > 0 then 'listing failed' end,
        case when last_listed = 0 and last_problems = 0 then 'empty listing' end,
        case when last_listed > 0 and last_problems > 0 then 'listing partly failed' end,
        case when fetch_attempts > 0 and fetch_errors = fetch_attempts then 'every fetch failed' end
    ), '') as warnings
from joined
