{#- Long format: one row per live lead and scoring model (product line), as
    of score_date, so one project can score interest per product line. -#}
with

scores as (

    select * from {{ ref('int_lead_scores_combined') }}

),

final as (

    select
        -- ids
        lead_id,

        -- strings
        scoring_model,
        grade,
        rating,
        grade_engagement_cell,
        recommended_action,
        rules_version,

        -- numerics
        cast(fit_points as {{ lead_scoring.type_double() }}) as fit_points,
        {{ lead_scoring.rounded_points('behaviour_score') }} as behaviour_score,
        cast(engagement_band as integer) as engagement_band,
        cast(priority_rank as integer) as priority_rank,

        -- dates
        score_date

    from scores

)

select * from final
