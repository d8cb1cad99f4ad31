{#- Per rule: its current points, the lift observed on the train sample and a
    suggested point value on the seed's scale: weight of evidence x (largest
    current |points| of the rule type / largest |weight of evidence| of the
    type), so the strongest evidence maps to the strongest current rule.
    Review before editing the seeds; rules seen on few leads stay near 0. -#}
with

lifts as (

    select * from {{ ref('int_calibration_rule_lifts') }}

),

scale as (

    select
        reason_type,
        max(abs(current_points)) / nullif(max(abs(weight_of_evidence)), 0) as points_per_woe
    from lifts
    group by reason_type

),

final as (

    select
        -- ids
        lifts.rule_id,

        -- strings
        lifts.reason_type,
        lifts.description,

        -- numerics
        lifts.current_points,
        cast(
            round(lifts.weight_of_evidence * coalesce(scale.points_per_woe, 0))
            as {{ lead_scoring.type_double() }}
        ) as suggested_points,
        lifts.lead_count,
        lifts.converted_count,
        lifts.observed_rate,
        lifts.base_rate,
        lifts.lift,
        lifts.weight_of_evidence

    from lifts
    left join scale
        on lifts.reason_type = scale.reason_type

)

select * from final
