{#- Per rule: its current points, the lift observed on the train sample and a
    suggested point value on the seed's scale: weight of evidence x (largest
    current |points| of the rule type / largest |weight of evidence| of the
    type, within the rule's scoring model), so the strongest evidence maps to the strongest current rule.
    Review before editing the seeds; rules seen on few leads stay near 0. -#}
with

lifts as (

    select * from {{ ref('int_calibration_rule_lifts') }}

),

scale as (

    select
        scoring_model,
        reason_type,
        max(abs(current_points)) / nullif(max(abs(weight_of_evidence)), 0) as points_per_woe
    from lifts
    group by scoring_model, reason_type

),

final as (

    select
        -- ids
        lifts.rule_id,

        -- strings
        lifts.scoring_model,
        lifts.reason_type,
        lifts.description,

        -- numerics
        cast(lifts.current_points as {{ lead_scoring.type_double() }}) as current_points,
        cast(
            round(lifts.weight_of_evidence * coalesce(scale.points_per_woe, 0))
            as {{ lead_scoring.type_double() }}
        ) as suggested_points,
        cast(lifts.lead_count as bigint) as lead_count,
        cast(lifts.converted_count as bigint) as converted_count,
        cast(lifts.observed_rate as {{ lead_scoring.type_double() }}) as observed_rate,
        cast(lifts.base_rate as {{ lead_scoring.type_double() }}) as base_rate,
        cast(lifts.lift as {{ lead_scoring.type_double() }}) as lift,
        cast(lifts.weight_of_evidence as {{ lead_scoring.type_double() }}) as weight_of_evidence

    from lifts
    left join scale
        on
            lifts.scoring_model = scale.scoring_model
            and lifts.reason_type = scale.reason_type

)

select * from final
