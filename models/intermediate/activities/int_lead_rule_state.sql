{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        unique_key=['lead_id', 'scoring_model', 'rule_id'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook=[
            "{{ lead_scoring.delete_stale_rules_version() }}",
            "{{ lead_scoring.delete_leads_left_this_run() }}",
        ],
    )
}}
{#- The stored behaviour state: per lead, scoring model and activity rule,
    the sum of the decayed points of its scored activities as of state_date
    (before the rule's cap). Decay is exponential, so a later day's sum is
    this sum x 0.5 ^ (days since state_date / half-life):
    int_lead_rule_contributions rolls it forward. A run recomputes (exactly,
    from the group's whole history) only the groups it must: those with rows
    recomputed upstream in this run (new, late or re-identified activity, a
    changed verdict), those whose next scored activity (next_due_date) is
    dated after their state_date and now up to score_date, those stored for
    a later score_date than this one, and all of them after a rules change.
    A group without scored activity up to score_date keeps a row with a count
    of 0 (int_lead_rule_contributions leaves it out). -#}
{%- set this_day = score_date() -%}

-- depends_on: {{ ref('int_scoring_rules_versioned') }}, {{ ref('int_activities_flagged') }}
{%- set age_days = dbt.datediff('capped.occurred_date', this_day, 'day') %}

{#- Read where needed, not through an import CTE that an engine may
    materialise whole (see int_activities_flagged). -#}
{%- set capped = ref('int_activities_frequency_capped') %}

with

{% if is_incremental() %}
groups_to_compute as (

    {{ lead_scoring.state_keys_to_recompute(
        capped, ['lead_id', 'scoring_model', 'rule_id'],
        also_when=lead_scoring.recompute_all()) }}

),
{% endif %}

scored as (

    select
        capped.lead_id,
        capped.scoring_model,
        capped.rule_id,
        capped.half_life_days,
        capped.max_points,
        capped.rules_version,
        capped.occurred_date,
        capped.occurred_at,
        capped.is_scored and capped.occurred_date <= {{ this_day }} as is_counted,
        capped.is_scored and capped.occurred_date > {{ this_day }} as is_scored_later,
        capped.points,
        capped.points * power(
            0.5,
            cast({{ age_days }} as {{ lead_scoring.type_double() }}) / capped.half_life_days  -- noqa: LT05
        ) as decayed_points
    from {{ capped }} as capped
    {% if is_incremental() %}
        inner join groups_to_compute
            on
                capped.lead_id = groups_to_compute.lead_id
                and capped.scoring_model = groups_to_compute.scoring_model
                and capped.rule_id = groups_to_compute.rule_id
    {% endif %}

),

per_rule as (

    select
        lead_id,
        scoring_model,
        rule_id,
        max(half_life_days) as half_life_days,
        max(max_points) as max_points,
        max(rules_version) as rules_version,
        sum(case when is_counted then 1 else 0 end) as occurrence_count,
        {{ lead_scoring.order_independent_sum(
            'case when is_counted then points else 0 end') }} as undecayed_points,
        {{ lead_scoring.order_independent_sum(
            'case when is_counted then decayed_points else 0 end') }} as decayed_points,
        max(case when is_counted then occurred_at end) as last_occurred_at,
        min(case when is_scored_later then occurred_date end) as next_due_date
    from scored
    group by lead_id, scoring_model, rule_id

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
        next_due_date,

        -- timestamps
        last_occurred_at,

        -- run metadata
        '{{ invocation_id }}' as loaded_run

    from per_rule

)

select * from final
