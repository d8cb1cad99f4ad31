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
-- depends_on: {{ ref('int_scoring_rules_versioned') }}
{#- Read where needed, not through an import CTE that an engine may
    materialise whole (see int_activities_flagged). -#}
{%- set all_matched = ref('int_activities_rules_matched') %}

with

changed as (

    {{ lead_scoring.rows_to_recompute(all_matched, 'all_matched') }}

),

{% if is_incremental() %}
    changed_groups as (

        select
            lead_id,
            scoring_model,
            rule_id,
            min(occurred_at) as first_changed_at
        from changed
        group by lead_id, scoring_model, rule_id

    ),

    stored as (

        -- The stored rows of the changed groups, with whether each is being
        -- replaced (its verdict changed) in this run and when the group's
        -- earliest changed row happened.
        select
            previous.*,
            replaced.activity_id is not null as is_replaced,
            changed_groups.first_changed_at
        from {{ this }} as previous
        inner join changed_groups
            on
                previous.lead_id = changed_groups.lead_id
                and previous.scoring_model = changed_groups.scoring_model
                and previous.rule_id = changed_groups.rule_id
        left join changed as replaced
            on
                previous.activity_id = replaced.activity_id
                and previous.scoring_model = replaced.scoring_model

    ),

    recomputed_groups as (

        -- Groups with a replaced row, or a changed row not later than a
        -- stored one: recomputed from their whole history.
        select distinct
            lead_id,
            scoring_model,
            rule_id
        from stored
        where
            is_replaced
            or occurred_at >= first_changed_at

    ),

    day_offsets as (

        select
            lead_id,
            scoring_model,
            rule_id,
            is_non_human,
            occurred_date,
            count(*) as stored_count
        from stored
        group by lead_id, scoring_model, rule_id, is_non_human, occurred_date

    ),

    lifetime_offsets as (

        select
            lead_id,
            scoring_model,
            rule_id,
            is_non_human,
            is_over_daily_cap,
            count(*) as stored_count
        from stored
        group by lead_id, scoring_model, rule_id, is_non_human, is_over_daily_cap

    ),

    matched as (

        -- whole history of the recomputed groups
        select
            all_matched.*,
            true as is_recomputed
        from {{ all_matched }} as all_matched
        inner join recomputed_groups
            on
                all_matched.lead_id = recomputed_groups.lead_id
                and all_matched.scoring_model = recomputed_groups.scoring_model
                and all_matched.rule_id = recomputed_groups.rule_id

        union all

        -- only the new rows of the other changed groups
        select
            changed.*,
            false as is_recomputed
        from changed
        where not exists (
            select 1
            from recomputed_groups
            where
                changed.lead_id = recomputed_groups.lead_id
                and changed.scoring_model = recomputed_groups.scoring_model
                and changed.rule_id = recomputed_groups.rule_id
        )

    ),
{% else %}
    matched as (

        select
            changed.*,
            true as is_recomputed
        from changed

    ),
{% endif %}

offsets as (

    select
        matched.*,
        {% if is_incremental() %}
            case
                when matched.is_recomputed then 0
                else coalesce(day_offsets.stored_count, 0)
            end
        {% else %}
            0
        {% endif %} as day_offset
    from matched
    {% if is_incremental() %}
        left join day_offsets
            on
                matched.lead_id = day_offsets.lead_id
                and matched.scoring_model = day_offsets.scoring_model
                and matched.rule_id = day_offsets.rule_id
                and matched.is_non_human = day_offsets.is_non_human
                and matched.occurred_date = day_offsets.occurred_date
    {% endif %}

),

daily as (

    select
        *,
        day_offset + row_number() over (
            partition by lead_id, scoring_model, rule_id, is_non_human, occurred_date
            order by occurred_at, activity_id
        ) as occurrence_in_day
    from offsets

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

lifetime_offset as (

    select
        daily_checked.*,
        {% if is_incremental() %}
            case
                when daily_checked.is_recomputed then 0
                else coalesce(lifetime_offsets.stored_count, 0)
            end
        {% else %}
            0
        {% endif %} as lifetime_offset
    from daily_checked
    {% if is_incremental() %}
        left join lifetime_offsets
            on
                daily_checked.lead_id = lifetime_offsets.lead_id
                and daily_checked.scoring_model = lifetime_offsets.scoring_model
                and daily_checked.rule_id = lifetime_offsets.rule_id
                and daily_checked.is_non_human = lifetime_offsets.is_non_human
                and daily_checked.is_over_daily_cap = lifetime_offsets.is_over_daily_cap
    {% endif %}

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
