{{ config(materialized='view') }}
{#- The holdout observations (never fitted) on every training snapshot,
    scored in SQL by the trained predictive model exactly as today's leads
    are: what the report measures. A view: it reads the training features,
    which are a view too. -#}
with

observations as (

    select * from {{ ref('int_prediction_observations') }}
    where sample = 'holdout'

),

matched as (

    {{ lead_scoring.prediction_features_matched(
        ref('int_prediction_training_features'), "sample = 'holdout'") }}

),

logits as (

    select
        snapshot_date,
        lead_id,
        {{ lead_scoring.order_independent_sum('contribution') }} as logit,
        {{ lead_scoring.order_independent_sum('points') }} as model_points
    from matched
    group by snapshot_date, lead_id

),

final as (

    select
        -- ids
        observations.lead_id,

        -- numerics
        observations.is_converted,
        1 / (1 + exp(-logits.logit)) as conversion_probability,
        logits.model_points,

        -- dates
        observations.snapshot_date

    from observations
    inner join logits
        on
            observations.snapshot_date = logits.snapshot_date
            and observations.lead_id = logits.lead_id

)

select * from final
