{#- Score thresholds (score_thresholds seed: a metric, fit_points or
    behaviour_score, and a value per scoring model) a lead crossed between
    its previous score_date and this one, as lead_threshold_events rows:
    threshold_crossed_up when the score reached the value, else
    threshold_crossed_down; from_value and to_value are the scores. A lead
    seen for the first time or gone now crosses nothing. -#}
with

changes as (

    select * from {{ ref('int_lead_score_changes') }}

),

thresholds as (

    select * from {{ ref('score_thresholds') }}

),

threshold_pairs as (

    select
        changes.lead_id,
        changes.scoring_model,
        thresholds.threshold_id,
        thresholds.threshold_value,
        case
            when thresholds.metric = 'fit_points' then changes.previous_fit_points
            else changes.previous_behaviour_score
        end as previous_value,
        case
            when thresholds.metric = 'fit_points' then changes.current_fit_points
            else changes.current_behaviour_score
        end as current_value
    from changes
    inner join thresholds
        on changes.scoring_model = thresholds.scoring_model
    where changes.has_previous and changes.is_current

),

final as (

    select
        lead_id,
        scoring_model,
        case
            when current_value >= threshold_value then 'threshold_crossed_up'
            else 'threshold_crossed_down'
        end as event_type,
        threshold_id as subject,
        cast(previous_value as {{ dbt.type_string() }}) as from_value,
        cast(current_value as {{ dbt.type_string() }}) as to_value
    from threshold_pairs
    where (previous_value >= threshold_value) <> (current_value >= threshold_value)

)

select * from final
