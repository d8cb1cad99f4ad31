{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        unique_key=['activity_id', 'scoring_model'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook="{{ lead_scoring.delete_stale_rules_version() }}",
    )
}}
{#- Applies each activity rule's frequency caps: per lead, only the first
    max_per_day human activities of a UTC day score under the rule, and of
    those only the first max_lifetime ever. Capped and non-human rows stay
    here, not scored, with the reason.
    Incremental by (lead, scoring model, rule): only the groups with a row
    int_activities_rules_matched recomputed in this run can change. When all
    of a group's changed rows are new and later than its stored rows (the
    daily case), they are numbered on from the stored counts; otherwise (late
    activity, a changed verdict) the group is recomputed from its whole
    history. -#}
-- depends_on: {{ ref('int_scoring_rules_versioned') }}, {{ ref('int_activities_unioned') }}
{#- Read where needed, not through an import CTE that an engine may
    materialise whole (see int_activities_flagged). -#}
{%- set all_matched = ref('int_activities_rules_matched') %}

with

changed as (

    {{ lead_scoring.rows_to_recompute(all_matched, 'all_matched') }}

),

-- stored (the changed groups' stored rows) and matched (the rows to number)
{{ lead_scoring.groups_to_number(
    all_matched,
    group_keys=['lead_id', 'scoring_model', 'rule_id'],
    row_keys=['activity_id', 'scoring_model']) }}

-- stored rows of the same lead, model, rule, kind and day
day_offset as (

    {{ lead_scoring.with_stored_count('matched', [
        'lead_id', 'scoring_model', 'rule_id', 'is_non_human', 'occurred_date'],
        'day_offset') }}

),

daily as (

    select
        *,
        day_offset + row_number() over (
            partition by lead_id, scoring_model, rule_id, is_non_human, occurred_date
            order by occurred_at, activity_id
        ) as occurrence_in_day
    from day_offset

),

daily_checked as (

    select
        daily.*,
        (
            not daily.is_non_human
            and coalesce(daily.occurrence_in_day > daily.max_per_day, false)
        ) as is_over_daily_cap
    from daily

),

-- stored rows of the same lead, model, rule, kind and daily-cap verdict
lifetime_offset as (

    {{ lead_scoring.with_stored_count('daily_checked', [
        'lead_id', 'scoring_model', 'rule_id', 'is_non_human', 'is_over_daily_cap'],
        'lifetime_offset') }}

),

lifetime as (

    select
        *,
        lifetime_offset + row_number() over (
            partition by lead_id, scoring_model, rule_id, is_non_human, is_over_daily_cap
            order by occurred_at, activity_id
        ) as occurrence_in_lifetime
    from lifetime_offset

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
        non_human_reason,

        -- numerics
        points,
        half_life_days,
        max_points,
        max_per_day,
        max_lifetime,
        occurrence_in_day,
        occurrence_in_lifetime,

        -- booleans
        is_non_human,
        is_over_daily_cap,
        (
            not is_non_human
            and not is_over_daily_cap
            and coalesce(occurrence_in_lifetime > max_lifetime, false)
        ) as is_over_lifetime_cap,
        (
            not is_non_human
            and not is_over_daily_cap
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
