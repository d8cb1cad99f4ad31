{{ config(materialized='view') }}
{#- A view (computed when read): each scored activity's contribution
    (human, within the frequency caps, dated up to score_date) as of score_date: points x 0.5 ^ (age_days / half_life_days), age in whole days from the
    activity's UTC date to score_date (0 for an activity on score_date). -#}
with

matched as (

    select * from {{ ref('int_activities_frequency_capped') }}
    where
        is_scored
        and occurred_date <= {{ score_date() }}

),

aged as (

    select
        matched.*,
        {{ dbt.datediff('occurred_date', score_date(), 'day') }} as age_days  -- noqa: LT05
    from matched

),

final as (

    select
        -- ids
        activity_key,
        lead_id,
        rule_id,

        -- strings
        scoring_model,
        activity_type,
        rules_version,

        -- numerics
        points,
        half_life_days,
        max_points,
        age_days,
        power(
            0.5,
            cast(age_days as {{ lead_scoring.type_double() }}) / half_life_days
        ) as decay_factor,
        points * power(
            0.5,
            cast(age_days as {{ lead_scoring.type_double() }}) / half_life_days
        ) as decayed_points,

        -- dates
        {{ score_date() }} as score_date,
        occurred_date,

        -- timestamps
        occurred_at

    from aged

)

select * from final
