{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        unique_key='lead_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}
{#- Incremental by lead (see leads_to_rescore). Applies each activity
    rule's frequency caps: per lead, only the first
    max_per_day activities of a UTC day score under the rule, and of those only
    the first max_lifetime ever. Capped activities stay here with the reason. -#}
-- depends_on: {{ ref('int_scoring_rules_versioned') }}
with

all_matched as (

    select * from {{ ref('int_activities_rules_matched') }}

),

matched as (

    select * from all_matched
    where lead_id in ({{ lead_scoring.leads_to_rescore('all_matched') }})

),

daily as (

    select
        *,
        row_number() over (
            partition by lead_id, scoring_model, rule_id, occurred_date
            order by occurred_at, activity_id
        ) as occurrence_in_day
    from matched

),

daily_checked as (

    select
        *,
        coalesce(occurrence_in_day > max_per_day, false) as is_over_daily_cap
    from daily

),

lifetime as (

    select
        *,
        row_number() over (
            partition by lead_id, scoring_model, rule_id, is_over_daily_cap
            order by occurred_at, activity_id
        ) as occurrence_in_lifetime
    from daily_checked

),

final as (

    select
        -- ids
        activity_id,
        lead_id,
        rule_id,

        -- strings
        scoring_model,
        activity_type,
        url,

        -- numerics
        points,
        half_life_days,
        max_points,
        max_per_day,
        max_lifetime,
        occurrence_in_day,
        occurrence_in_lifetime,

        -- booleans
        is_over_daily_cap,
        (
            not is_over_daily_cap
            and coalesce(occurrence_in_lifetime > max_lifetime, false)
        ) as is_over_lifetime_cap,
        (
            not is_over_daily_cap
            and not coalesce(occurrence_in_lifetime > max_lifetime, false)
        ) as is_scored,

        -- dates
        occurred_date,

        -- timestamps
        occurred_at,

        -- lineage
        rules_version,
        '{{ invocation_id }}' as loaded_run

    from lifetime

)

select * from final
