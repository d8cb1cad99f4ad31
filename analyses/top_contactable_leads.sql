-- The sales call list: contactable leads in priority order, with their
-- rating and the date of their last activity. Compile with `dbt compile` and
-- run the SQL in target/compiled/, or paste it into a BI tool.
select
    lead_scores.priority_rank,
    lead_scores.lead_id,
    lead_scores.account_id,
    lead_scores.rating,
    lead_scores.fit_points,
    lead_scores.behaviour_score,
    lead_scores.last_activity_at
from {{ ref('lead_scores') }} as lead_scores
where lead_scores.is_contactable
order by lead_scores.priority_rank
limit 50
