{{ config(materialized='view') }}
{#- Fit and behaviour together, per live lead and scoring model: grade,
    engagement band (engagement_bands seed), the grade x engagement cell such
    as A1, its priority and recommended action (priority_matrix seed), the
    rating and score_rank, the lead's rank within the scoring model by the
    rules alone (any stage; the priority list in lead_score_history and
    lead_scores_by_model ranks only the leads sales can work).
    A view, read once (by int_lead_lifecycle_inputs, a view read once by
    lead_score_history): writing its rows cost more than computing them
    where they are read; its columns are checked on lead_score_history. -#}
with

fit as (

    select * from {{ ref('int_lead_fit_scored') }}

),

behaviour as (

    select * from {{ ref('int_lead_behaviour_scored') }}

),

engagement_bands as (

    select * from {{ ref('engagement_bands') }}

),

priority_matrix as (

    select * from {{ ref('priority_matrix') }}

),

joined as (

    select
        fit.lead_id,
        fit.scoring_model,
        fit.grade,
        fit.rules_version,
        fit.fit_points,
        fit.matched_rule_count,
        behaviour.behaviour_score,
        behaviour.scored_activity_count,
        engagement_bands.engagement_band,
        priority_matrix.priority as matrix_priority,
        priority_matrix.recommended_action,
        fit.score_date,
        behaviour.last_activity_at
    from fit
    inner join behaviour
        on
            fit.lead_id = behaviour.lead_id
            and fit.scoring_model = behaviour.scoring_model
    left join engagement_bands
        on
            fit.scoring_model = engagement_bands.scoring_model
            and behaviour.behaviour_score >= engagement_bands.min_score
            and behaviour.behaviour_score < engagement_bands.max_score
    left join priority_matrix
        on
            fit.scoring_model = priority_matrix.scoring_model
            and fit.grade = priority_matrix.grade
            and engagement_bands.engagement_band = priority_matrix.engagement_band

),

final as (

    select
        -- ids
        lead_id,

        -- strings
        scoring_model,
        grade,
        grade || cast(engagement_band as {{ dbt.type_string() }})
            as grade_engagement_cell,
        {{ lead_scoring.rating('grade', 'behaviour_score') }} as rating,
        recommended_action,
        rules_version,

        -- numerics
        fit_points,
        behaviour_score,
        engagement_band,
        matrix_priority,
        row_number() over (
            partition by scoring_model
            order by {{ lead_scoring.rules_order() }}
        ) as score_rank,
        matched_rule_count,
        scored_activity_count,

        -- dates
        score_date,

        -- timestamps
        last_activity_at

    from joined

)

select * from final
