{{ config(meta={"dagster": {"ref": {"name": "fct_cut_sources"}}}) }}

-- No article dates a cut's announcement after the day it was published: a later date it gives
-- ("will cut about 1,000 jobs in 2025" on 2024-12-20) is when the cut takes effect, kept in
-- effective_on. Returns each event and article that breaks this.
select cut_id, article_url, published_on, announced_on
from {{ ref('fct_cut_sources') }}
where published_on is not null
  and announced_on > published_on
