-- Cut events and headcount by the reason reported, per year: how much of the cutting is put down
-- to AI and automation, restructuring, cost-cutting and the rest. A part of another cut
-- (part_of_cut_id) counts as an event but its headcount is already in its whole's.
select
    cast(year(announced_on) as integer) as calendar_year,
    reason,
    count(*) as cut_events,
    sum(headcount_low) filter (where part_of_cut_id is null) as headcount_low,
    sum(headcount_high) filter (where part_of_cut_id is null) as headcount_high
from {{ ref('fct_cuts') }}
group by all
order by calendar_year, cut_events desc, reason
