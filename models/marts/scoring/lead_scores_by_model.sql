{#- Long format: one row per live lead and scoring model (product line), as
    of score_date, so one project can score interest per product line. The
    priority list of each model ranks only the leads sales can work (not a
    customer, no open opportunity, not disqualified: these do not depend on
    the model); the others get a null rank and their stage's action. -#}
with

scores as (

    select * from {{ ref('int_lead_scores_combined') }}

),

lifecycle_inputs as (

    select * from {{ ref('int_lead_lifecycle_inputs') }}

),

final as (

    select
        -- ids
        scores.lead_id,

        -- strings
        scores.scoring_model,
        scores.grade,
        scores.rating,
        scores.grade_engagement_cell,
        coalesce(lifecycle_inputs.off_list_action, scores.recommended_action)
            as recommended_action,
        scores.rules_version,

        -- numerics
        cast(scores.fit_points as {{ lead_scoring.type_double() }}) as fit_points,
        {{ lead_scoring.rounded_points('scores.behaviour_score') }} as behaviour_score,
        cast(scores.engagement_band as integer) as engagement_band,
        cast(
            case
                when lifecycle_inputs.is_workable
                    then row_number() over (
                        partition by scores.scoring_model, lifecycle_inputs.is_workable
                        order by scores.score_rank
                    )
            end as integer
        ) as priority_rank,

        -- dates
        scores.score_date

    from scores
    inner join lifecycle_inputs
        on scores.lead_id = lifecycle_inputs.lead_id

)

select * from final
