{#- Conversion (an opportunity within the window) and lift over the base
    rate, by grade, by engagement band and by grade x band, for all
    calibration leads, per scoring model. -#}
with

calibration_leads as (

    select * from {{ ref('int_calibration_leads') }}

),

base as (

    select
        scoring_model,
        avg(cast(has_opportunity as {{ lead_scoring.type_double() }})) as base_rate
    from calibration_leads
    group by scoring_model

),

grouped as (

    select
        scoring_model,
        'grade' as breakdown,
        grade as bucket,
        count(*) as lead_count,
        sum(has_opportunity) as converted_count,
        sum(has_won) as won_count
    from calibration_leads
    group by scoring_model, grade

    union all

    select
        scoring_model,
        'engagement_band' as breakdown,
        cast(engagement_band as {{ dbt.type_string() }}) as bucket,
        count(*) as lead_count,
        sum(has_opportunity) as converted_count,
        sum(has_won) as won_count
    from calibration_leads
    group by scoring_model, engagement_band

    union all

    select
        scoring_model,
        'grade_engagement_cell' as breakdown,
        grade_engagement_cell as bucket,
        count(*) as lead_count,
        sum(has_opportunity) as converted_count,
        sum(has_won) as won_count
    from calibration_leads
    group by scoring_model, grade_engagement_cell

),

final as (

    select
        -- strings
        grouped.scoring_model,
        grouped.breakdown,
        grouped.bucket,

        -- numerics
        cast(grouped.lead_count as bigint) as lead_count,
        cast(grouped.converted_count as bigint) as converted_count,
        cast(grouped.won_count as bigint) as won_count,
        cast(
            cast(grouped.converted_count as {{ lead_scoring.type_double() }})
            / grouped.lead_count as {{ lead_scoring.type_double() }}
        ) as conversion_rate,
        cast(
            cast(grouped.converted_count as {{ lead_scoring.type_double() }})
            / grouped.lead_count / nullif(base.base_rate, 0) as {{ lead_scoring.type_double() }}
        ) as lift

    from grouped
    inner join base
        on grouped.scoring_model = base.scoring_model

)

select * from final
