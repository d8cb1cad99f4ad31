{#- Every rule's contribution to each live lead's scores, per scoring model
    and score_date, kept across runs like lead_score_history: what the
    calibration models learn from, and the reasons behind any past score. -#}
with

reasons as (

    select * from {{ ref('int_lead_score_reasons') }}

),

rules_version as (

    select * from {{ ref('int_scoring_rules_versioned') }}

),

final as (

    select
        -- ids
        reasons.lead_id,
        reasons.rule_id,

        -- strings
        reasons.scoring_model,
        reasons.reason_type,
        rules_version.rules_version,

        -- numerics
        cast(reasons.occurrence_count as bigint) as occurrence_count,
        cast(reasons.points_before_decay as {{ lead_scoring.type_double() }})
            as points_before_decay,
        cast(reasons.points as {{ lead_scoring.type_double() }}) as points,

        -- dates
        {{ score_date() }} as score_date

    from reasons
    cross join rules_version

)

select * from final
