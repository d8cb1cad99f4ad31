-- Which rules move scores most (default scoring model, as of the latest reason
-- snapshot on or before the score date: var score_date, default the latest
-- scored date; lead_reason_history keeps snapshot dates only): leads affected,
-- total and mean points, and for activity rules the points lost to decay and
-- caps. Rule descriptions are in seeds/scoring/*_rules.csv.
with

history as (

    select * from {{ lead_scoring.mart('lead_reason_history') }}
    where scoring_model = '{{ var("default_scoring_model", "default") }}'

),

reasons as (

    select history.* from history
    where history.score_date = (
        select max(snapshots.score_date) from history as snapshots
        where snapshots.score_date <= {{ lead_scoring.analysis_score_date() }}
    )

)

select
    reasons.rule_id,
    reasons.reason_type,
    count(*) as lead_count,
    sum(reasons.points) as total_points,
    avg(reasons.points) as mean_points,
    sum(reasons.points_before_decay - reasons.points) as points_lost_to_decay_and_caps
from reasons
group by reasons.rule_id, reasons.reason_type
order by abs(sum(reasons.points)) desc, reasons.rule_id asc, reasons.reason_type asc
