{{ config(materialized='view') }}
{#- One row per live lead, scoring model and activity rule that fired: the
    number of activities, their points before decay, after decay (the stored
    state rolled forward from its state_date to score_date:
    x 0.5 ^ (days / half-life)), and after the rule's cap (max_points bounds
    the size of the decayed sum, for negative rules too). A view: rolling
    the state forward where it is read (behaviour score, reasons) is cheaper
    than writing ~5 rows per lead every day. -#}
{%- set age_days = dbt.datediff('state.state_date', score_date(), 'day') %}

with

state as (

    select * from {{ ref('int_lead_rule_state') }}
    where occurrence_count > 0

),

leads as (

    select * from {{ ref('int_leads_enriched') }}

),

rolled as (

    select
        state.*,
        state.decayed_points * power(
            0.5,
            cast({{ age_days }} as {{ lead_scoring.type_double() }}) / state.half_life_days  -- noqa: LT05
        ) as decayed_points_today
    from state
    inner join leads
        on state.lead_id = leads.lead_id

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
        occurrence_count,
        undecayed_points,
        decayed_points_today as decayed_points,
        {{ lead_scoring.capped('decayed_points_today', 'max_points') }} as capped_points,

        -- booleans
        (max_points is not null and abs(decayed_points_today) > max_points) as is_capped,

        -- dates
        {{ score_date() }} as score_date,

        -- timestamps
        last_occurred_at

    from rolled

)

select * from final
