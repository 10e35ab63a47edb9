-- Every calendar quarter from the first to the last cut, including quarters with no cuts,
-- so quarter-over-quarter comparisons see the gaps.
with bounds as (
    select
        date_trunc('quarter', min(announced_on)) as first_quarter_start,
        date_trunc('quarter', max(announced_on)) as last_quarter_start
    from {{ ref('int_cut_mentions_normalised') }}
),

quarter_starts as (
    select cast(quarter_start as date) as quarter_start
    from bounds, range(bounds.first_quarter_start, bounds.last_quarter_start + interval 1 day, interval 3 month)
        as quarters(quarter_start)
)

select
    {{ quarter_label('quarter_start') }} as quarter,
    cast(year(quarter_start) as integer) as calendar_year,
    cast(quarter(quarter_start) as integer) as quarter_of_year,
    quarter_start,
    cast(quarter_start + interval 3 month - interval 1 day as date) as quarter_end
from quarter_starts
