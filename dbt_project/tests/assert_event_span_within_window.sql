-- No cut event spans more than `event_window_days`: the window counts from an event's first
-- report, so its reports' dates (max - min) lie within it, however steady the coverage.
select
    cut_id,
    company,
    division,
    min(announced_on) as first_report,
    max(announced_on) as last_report,
    max(announced_on) - min(announced_on) as span_days
from {{ ref('int_cut_events') }}
group by cut_id, company, division
having max(announced_on) - min(announced_on) > {{ var('event_window_days') }}
