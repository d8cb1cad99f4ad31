{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        unique_key=['activity_key', 'scoring_model'],
        incremental_strategy='delete+insert',
        on_schema_change='sync_all_columns',
        pre_hook=[
            "{{ lead_scoring.add_activity_key() }}",
            "{{ lead_scoring.delete_stale_rules_version() }}",
        ],
    )
}}
{#- Each activity rule's frequency caps: per lead, only the first max_per_day
    human activities of a UTC day score under the rule, and of those only the
    first max_lifetime ever; capped and non-human rows stay, not scored. By
    (lead, model, rule): a group whose recomputed rows all follow its stored
    ones (the daily case) counts on from them, else from its whole history.
    Only the columns its readers use are written (URL, reason and caps stay
    upstream; sync_all_columns drops them from older tables). No import CTE. -#}
-- depends_on: {{ ref('int_scoring_rules_versioned') }}, {{ ref('int_activities_flagged') }}
{%- set all_matched = ref('int_activities_rules_matched') %}

with

changed {{ lead_scoring.as_read_again_on_full_build() }} (

    {{ lead_scoring.rows_to_recompute(all_matched, 'all_matched') }}

),

-- stored (the changed groups' stored rows) and matched (the rows to number)
{{ lead_scoring.groups_to_number(
    all_matched,
    group_keys=['lead_id', 'scoring_model', 'rule_id'],
    row_keys=['activity_key', 'scoring_model']) }}

-- numbered on their keys alone, the rest joined back in final (a third faster)
numbering_keys as (

    select
        activity_key,
        scoring_model,
        lead_id,
        rule_id,
        is_non_human,
        is_recomputed,
        max_per_day,
        max_lifetime,
        occurred_date,
        occurred_at
    from matched

),

-- stored rows of the same lead, model, rule, kind and day
day_offset as (

    {{ lead_scoring.with_stored_count('numbering_keys', [
        'lead_id', 'scoring_model', 'rule_id', 'is_non_human', 'occurred_date'],
        'day_offset') }}

),

daily as (

    select
        *,
        day_offset + row_number() over (
            partition by lead_id, scoring_model, rule_id, is_non_human, occurred_date
            order by occurred_at, activity_key
        ) as occurrence_in_day
    from day_offset

),

daily_checked as (

    select
        *,
        not is_non_human and coalesce(occurrence_in_day > max_per_day, false) as is_over_daily_cap
    from daily

),

-- numbered on the lifetime cap: only rows that can pass one (0.4M of 20M at
-- 1M leads), after the stored rows of the same lead, model, rule and verdicts
lifetime_offset as (

    {{ lead_scoring.with_stored_count('daily_checked', [
        'lead_id', 'scoring_model', 'rule_id', 'is_non_human', 'is_over_daily_cap'],
        'lifetime_offset') }}

),

lifetime as (

    select
        activity_key,
        scoring_model,
        lifetime_offset + row_number() over (
            partition by lead_id, scoring_model, rule_id, is_non_human, is_over_daily_cap
            order by occurred_at, activity_key
        ) as occurrence_in_lifetime
    from lifetime_offset
    where max_lifetime is not null and not is_non_human and not is_over_daily_cap

),

final as (

    select
        -- ids
        matched.activity_key,
        matched.lead_id,
        matched.rule_id,

        -- strings
        matched.scoring_model,
        matched.activity_type,

        -- numerics
        matched.points,
        matched.half_life_days,
        matched.max_points,
        numbered.occurrence_in_day,
        life.occurrence_in_lifetime,

        -- booleans
        matched.is_non_human,
        numbered.is_over_daily_cap,
        coalesce(life.occurrence_in_lifetime > matched.max_lifetime, false) as is_over_lifetime_cap,
        not matched.is_non_human and not numbered.is_over_daily_cap
        and not coalesce(life.occurrence_in_lifetime > matched.max_lifetime, false) as is_scored,

        -- dates
        matched.occurred_date,

        -- timestamps
        matched.occurred_at,

        -- lineage
        matched.rules_version,
        '{{ invocation_id }}' as loaded_run

    from matched
    inner join daily_checked as numbered
        on
            matched.activity_key = numbered.activity_key
            and matched.scoring_model = numbered.scoring_model
    left join lifetime as life
        on matched.activity_key = life.activity_key and matched.scoring_model = life.scoring_model

)

select * from final
