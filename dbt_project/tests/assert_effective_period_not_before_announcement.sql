{{ config(meta={"dagster": {"ref": {"name": "fct_cuts"}}}) }}

-- An event's effective period (effective_on, effective_precision) is stated whole or not at all,
-- starts on the first day of its period (2025-01-01 for a year, the 1st of a month or quarter),
-- and does not start before the period of the announcement: "will cut 1,000 jobs in 2025"
-- announced on 2024-12-20 is effective 2025-01-01 (year) >= 2024-01-01. Returns each event that
-- breaks one of these.
select cut_id, company, announced_on, effective_on, effective_precision, 'stated by halves' as problem
from {{ ref('fct_cuts') }}
where (effective_on is null) <> (effective_precision is null)

union all

select cut_id, company, announced_on, effective_on, effective_precision, 'not the first day of its period' as problem
from {{ ref('fct_cuts') }}
where effective_on is not null
  and effective_on <> cast(date_trunc(effective_precision, effective_on) as date)

union all

select cut_id, company, announced_on, effective_on, effective_precision, 'before the announcement' as problem
from {{ ref('fct_cuts') }}
where effective_on is not null
  and effective_on < cast(date_trunc(effective_precision, announced_on) as date)
