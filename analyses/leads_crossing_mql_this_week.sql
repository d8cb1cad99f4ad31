-- Leads that became MQL (or SQL) in the 7 days up to the score date (var
-- score_date, default the latest scored date), with their current rating and
-- reasons: the weekly hand-over review.
with

events as (

    select * from {{ lead_scoring.mart('lead_threshold_events') }}
    where scoring_model = '{{ var("default_scoring_model", "default") }}'

),

lead_scores as (

    select * from {{ lead_scoring.mart('lead_scores') }}

)

select
    events.score_date as crossed_on,
    events.lead_id,
    events.from_value as previous_stage,
    events.to_value as new_stage,
    lead_scores.rating,
    lead_scores.lifecycle_stage as stage_today,
    lead_scores.top_reasons
from events
inner join lead_scores
    on events.lead_id = lead_scores.lead_id
where
    events.event_type = 'stage_changed'
    and events.to_value in ('mql', 'sql')
    and events.score_date > {{ dbt.dateadd('day', -7, lead_scoring.analysis_score_date()) }}
    and events.score_date <= {{ lead_scoring.analysis_score_date() }}
order by events.score_date desc, lead_scores.priority_rank asc, events.lead_id asc
