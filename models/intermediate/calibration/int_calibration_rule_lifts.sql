{#- Per rule (of every scoring model): how leads that had the rule on the
    calibration date converted, in the train sample, against the base rate
    of that model's calibration leads.
    The rate is smoothed toward the base rate (as if var calibration_smoothing
    more leads had the base rate), so rare rules do not get extreme lifts;
    weight_of_evidence = ln(odds(smoothed rate) / odds(base rate)). -#}
with

calibration_leads as (

    select * from {{ ref('int_calibration_leads') }}

),

reason_history as (

    select * from {{ ref('lead_reason_history') }}

),

profile_rules as (

    select * from {{ ref('profile_rules') }}

),

activity_rules as (

    select * from {{ ref('activity_rules') }}

),

rules as (

    select
        rule_id,
        scoring_model,
        'fit' as reason_type,
        description,
        points as current_points
    from profile_rules

    union all

    select
        rule_id,
        scoring_model,
        'behaviour' as reason_type,
        description,
        points as current_points
    from activity_rules

),

train as (

    select * from calibration_leads
    where sample = 'train'

),

base as (

    select
        scoring_model,
        count(*) as lead_count,
        sum(has_opportunity) as converted_count,
        cast(sum(has_opportunity) as {{ lead_scoring.type_double() }}) / count(*) as base_rate
    from train
    group by scoring_model

),

with_rule as (

    select
        reason_history.rule_id,
        count(*) as lead_count,
        sum(train.has_opportunity) as converted_count
    from reason_history
    inner join train
        on
            reason_history.lead_id = train.lead_id
            and reason_history.scoring_model = train.scoring_model
            and reason_history.score_date = train.calibration_date
    group by reason_history.rule_id

),

smoothed as (

    select
        rules.*,
        coalesce(with_rule.lead_count, 0) as lead_count,
        coalesce(with_rule.converted_count, 0) as converted_count,
        base.base_rate,
        (
            coalesce(with_rule.converted_count, 0)
            + {{ var('calibration_smoothing') }} * base.base_rate
        ) / (coalesce(with_rule.lead_count, 0) + {{ var('calibration_smoothing') }})
            as smoothed_rate
    from rules
    inner join base
        on rules.scoring_model = base.scoring_model
    left join with_rule
        on rules.rule_id = with_rule.rule_id

),

final as (

    select
        -- ids
        rule_id,

        -- strings
        scoring_model,
        reason_type,
        description,

        -- numerics
        current_points,
        lead_count,
        converted_count,
        case
            when lead_count > 0
                then cast(converted_count as {{ lead_scoring.type_double() }}) / lead_count
        end as observed_rate,
        base_rate,
        smoothed_rate,
        smoothed_rate / nullif(base_rate, 0) as lift,
        case
            when base_rate > 0 and base_rate < 1
                then
                    ln(smoothed_rate / (1 - smoothed_rate))
                    - ln(base_rate / (1 - base_rate))
            else 0
        end as weight_of_evidence

    from smoothed

)

select * from final
