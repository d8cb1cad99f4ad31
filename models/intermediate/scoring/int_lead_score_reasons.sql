{{ config(materialized='view') }}
{#- Why each lead has its score: one row per lead, scoring model and rule
    that contributed, fit and behaviour alike, with its points before and
    after decay (and cap), and a short label such as
    "+12.4 Pricing page visit (3)". reason_rank 1 is the largest effect.
    A view: lead_reason_history needs neither label nor rank (the engine
    drops them), so only lead_scores ranks, and only the default scoring
    model's reasons; a table ranked all ~10 rows per lead every day. Ranked
    on numbers alone, labelled after: lead_scores labels only the top 3
    (at 1M leads lead_scores_by_model took 7.6-7.8 s against 8.4-9.3 s). -#}
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

rule_descriptions as (

    -- rule ids are unique across both rule seeds
    select
        rule_id,
        description
    from {{ ref('profile_rules') }}

    union all

    select
        rule_id,
        description
    from activity_rules

),

unioned as (

    select
        lead_id,
        scoring_model,
        rule_id,
        'fit' as reason_type,
        1 as occurrence_count,
        points as points_before_decay,
        points
    from fit_rules

    union all

    select
        lead_id,
        scoring_model,
        rule_id,
        'behaviour' as reason_type,
        occurrence_count,
        undecayed_points as points_before_decay,
        capped_points as points
    from behaviour_rules
    where rule_id in (select activity_rules.rule_id from activity_rules)

),

ranked as (

    select
        *,
        row_number() over (
            partition by lead_id, scoring_model
            order by abs(points) desc, rule_id asc
        ) as reason_rank
    from unioned
    where points <> 0

),

labelled as (

    select
        ranked.*,
        rule_descriptions.description,
        case when ranked.points >= 0 then '+' else '' end
        || case
            when abs(ranked.points - round(ranked.points)) < 0.05
                then cast(cast(round(ranked.points) as integer) as {{ dbt.type_string() }})
            else cast(cast(ranked.points as numeric(18, 1)) as {{ dbt.type_string() }})
        end
        || ' ' || rule_descriptions.description
        || case
            when ranked.occurrence_count > 1
                then ' (' || cast(ranked.occurrence_count as {{ dbt.type_string() }}) || ')'
            else ''
        end as reason_label
    from ranked
    inner join rule_descriptions
        on ranked.rule_id = rule_descriptions.rule_id

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
        reason_rank

    from labelled

)

select * from final
