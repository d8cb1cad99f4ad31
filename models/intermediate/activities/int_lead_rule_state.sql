{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        unique_key='lead_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}
{#- The stored behaviour state: per lead, scoring model and activity rule,
    the sum of the decayed points of its scored activities as of state_date
    (before the rule's cap). Decay is linear, so a later day's sum is this
    sum x 0.5 ^ (days since state_date / half-life): int_lead_rule_contributions
    rolls it forward. A run recomputes only the leads it must (exactly, from
    their whole history): leads with rows reloaded upstream (new, late or
    re-identified activity, or a rules change), leads with scored activity
    dated after their state_date and up to score_date, and every lead when
    score_date goes back before a stored state. A lead left with no scored
    activity keeps one row with a null rule_id, so its old rows are replaced. -#}
{%- set this_day = score_date() -%}

-- depends_on: {{ ref('int_scoring_rules_versioned') }}
{%- set age_days = dbt.datediff('capped.occurred_date', this_day, 'day') %}

with

capped as (

    select * from {{ ref('int_activities_frequency_capped') }}

),

leads_to_rescore as (

    {{ lead_scoring.leads_to_rescore('capped') }}
    {% if is_incremental() %}
        union
        select capped.lead_id
        from capped
        inner join {{ this }} as previous
            on capped.lead_id = previous.lead_id
        where
            capped.is_scored
            and capped.occurred_date > previous.state_date
            and capped.occurred_date <= {{ this_day }}
        union
        select capped.lead_id
        from capped
        where (select max(previous.state_date) from {{ this }} as previous) > {{ this_day }}
    {% endif %}

),

scored as (

    select
        capped.*,
        capped.points * power(
            0.5,
            cast({{ age_days }} as {{ lead_scoring.type_double() }}) / capped.half_life_days  -- noqa: LT05
        ) as decayed_points
    from capped
    inner join leads_to_rescore
        on capped.lead_id = leads_to_rescore.lead_id
    where
        capped.is_scored
        and capped.occurred_date <= {{ this_day }}

),

per_rule as (

    select
        lead_id,
        scoring_model,
        rule_id,
        max(half_life_days) as half_life_days,
        max(max_points) as max_points,
        max(rules_version) as rules_version,
        count(*) as occurrence_count,
        sum(points) as undecayed_points,
        sum(decayed_points) as decayed_points,
        max(occurred_at) as last_occurred_at
    from scored
    group by lead_id, scoring_model, rule_id

),

tombstones as (

    -- Rescored leads left without scored activity: one row, so the
    -- delete+insert by lead_id removes their old state.
    select leads_to_rescore.lead_id
    from leads_to_rescore
    left join per_rule
        on leads_to_rescore.lead_id = per_rule.lead_id
    where per_rule.lead_id is null

),

final as (

    select
        -- ids
        lead_id,
        rule_id,

        -- strings
        scoring_model,
        rules_version,

        -- numerics
        half_life_days,
        max_points,
        occurrence_count,
        undecayed_points,
        decayed_points,

        -- dates
        {{ this_day }} as state_date,

        -- timestamps
        last_occurred_at

    from per_rule

    union all

    select
        lead_id,
        cast(null as {{ dbt.type_string() }}) as rule_id,
        cast(null as {{ dbt.type_string() }}) as scoring_model,
        cast(null as {{ dbt.type_string() }}) as rules_version,
        cast(null as {{ lead_scoring.type_double() }}) as half_life_days,
        cast(null as {{ lead_scoring.type_double() }}) as max_points,
        0 as occurrence_count,
        0 as undecayed_points,
        0 as decayed_points,
        {{ this_day }} as state_date,
        cast(null as timestamp) as last_occurred_at
    from tombstones

)

select * from final
