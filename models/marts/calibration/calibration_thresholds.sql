{#- The MQL line trade-off: for each candidate behaviour-score threshold (0
    to 100 in steps of 5), among calibration leads with a grade good enough
    for MQL (var mql_min_grade), how many would be handed over, and the
    precision (share of those that converted) and recall (share of all
    converters handed over), per scoring model. The current threshold is
    flagged. -#}
with

calibration_leads as (

    select * from {{ ref('int_calibration_leads') }}

),

candidates as (

    {% for threshold in range(0, 105, 5) %}
        select {{ threshold }} as threshold
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

totals as (

    select
        scoring_model,
        sum(has_opportunity) as converted_total
    from calibration_leads
    group by scoring_model

),

handed_over as (

    select
        totals.scoring_model,
        candidates.threshold,
        count(calibration_leads.lead_id) as leads_handed_over,
        coalesce(sum(calibration_leads.has_opportunity), 0) as converted_handed_over
    from candidates
    cross join totals
    left join calibration_leads
        on
            totals.scoring_model = calibration_leads.scoring_model
            and candidates.threshold <= calibration_leads.behaviour_score
            and calibration_leads.grade <= '{{ var("mql_min_grade") }}'
    group by totals.scoring_model, candidates.threshold

),

final as (

    select
        -- strings
        handed_over.scoring_model,

        -- numerics
        cast(handed_over.threshold as {{ lead_scoring.type_double() }}) as threshold,
        cast(handed_over.leads_handed_over as bigint) as leads_handed_over,
        cast(handed_over.converted_handed_over as bigint) as converted_handed_over,
        cast(
            cast(handed_over.converted_handed_over as {{ lead_scoring.type_double() }})
            / nullif(handed_over.leads_handed_over, 0) as {{ lead_scoring.type_double() }}
        ) as precision_rate,
        cast(
            cast(handed_over.converted_handed_over as {{ lead_scoring.type_double() }})
            / nullif(totals.converted_total, 0) as {{ lead_scoring.type_double() }}
        ) as recall_rate,

        -- booleans
        handed_over.threshold = {{ var('mql_min_behaviour_score') }} as is_current_threshold

    from handed_over
    inner join totals
        on handed_over.scoring_model = totals.scoring_model

)

select * from final
