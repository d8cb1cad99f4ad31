{{ config(materialized='view') }}
{#- Why each lead has its score: one row per lead, scoring model and rule
    that contributed, fit and behaviour alike, with its points before and
    after decay (and cap), and a short label such as
    "+12.4 Pricing page visit (3)". reason_rank 1 is the largest effect.
    A view: lead_reason_history needs neither label nor rank (the engine
    drops them), so only lead_scores ranks, and only the default scoring
    model's reasons; a table ranked all ~10 rows per lead every day. -#}
with

fit_rules as (

    select * from {{ ref('int_profile_rules_matched') }}

),

behaviour_rules as (

    select * from {{ ref('int_lead_rule_contributions') }}

),

activity_rules as (

    select * from {{ ref('activity_rules') }}

),

unioned as (

    select
        lead_id,
        scoring_model,
        rule_id,
        'fit' as reason_type,
        description,
        1 as occurrence_count,
        points as points_before_decay,
        points
    from fit_rules

    union all

    select
        behaviour_rules.lead_id,
        behaviour_rules.scoring_model,
        behaviour_rules.rule_id,
        'behaviour' as reason_type,
        activity_rules.description,
        behaviour_rules.occurrence_count,
        behaviour_rules.undecayed_points as points_before_decay,
        behaviour_rules.capped_points as points
    from behaviour_rules
    inner join activity_rules
        on behaviour_rules.rule_id = activity_rules.rule_id

),

labelled as (

    select
        *,
        case when points >= 0 then '+' else '' end
        || case
            when abs(points - round(points)) < 0.05
                then cast(cast(round(points) as integer) as {{ dbt.type_string() }})
            else cast(cast(points as numeric(18, 1)) as {{ dbt.type_string() }})
        end
        || ' ' || description
        || case
            when occurrence_count > 1
                then ' (' || cast(occurrence_count as {{ dbt.type_string() }}) || ')'
            else ''
        end as reason_label
    from unioned

),

final as (

    select
        -- ids
        lead_id,
        rule_id,

        -- strings
        scoring_model,
        reason_type,
        description,
        reason_label,

        -- numerics
        occurrence_count,
        points_before_decay,
        points,
        row_number() over (
            partition by lead_id, scoring_model
            order by abs(points) desc, rule_id asc
        ) as reason_rank

    from labelled
    where points <> 0

)

select * from final
