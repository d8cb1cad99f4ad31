{{ config(materialized='view') }}
{#- The holdout observations (never fitted) on every training snapshot,
    scored in SQL by the trained predictive model exactly as today's leads
    are: what the predictive calibration marts and the report measure. A
    view: it reads the training features, which are a view too. -#}
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
        -- summed as decimals: the same total whatever order the engine adds in
        cast(sum(cast(contribution as numeric(30, 15))) as {{ lead_scoring.type_double() }})
            as logit,
        sum(cast(points as numeric(30, 15))) as model_points
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
