-- Which rules move scores most (default scoring model, as of the score
-- date): leads affected, total and mean points, and for activity rules the
-- points lost to decay and caps.
with

reasons as (

    select * from {{ ref('int_lead_score_reasons') }}
    where scoring_model = '{{ var("default_scoring_model", "default") }}'

)

select
    reasons.rule_id,
    reasons.reason_type,
    reasons.description,
    count(*) as lead_count,
    sum(reasons.points) as total_points,
    avg(reasons.points) as mean_points,
    sum(reasons.points_before_decay - reasons.points) as points_lost_to_decay_and_caps
from reasons
group by reasons.rule_id, reasons.reason_type, reasons.description
order by abs(sum(reasons.points)) desc
