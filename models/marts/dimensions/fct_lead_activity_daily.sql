{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        unique_key=['lead_id', 'activity_date'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook=[
            "{{ lead_scoring.delete_after_score_date('activity_date') }}",
            "{{ lead_scoring.delete_lead_days_left_this_run() }}",
        ],
    )
}}
{#- The activity fact at the grain BI tools expect: one row per lead, day and
    activity type up to score_date, with the activity a person did
    (human_activity_count) kept apart from what bots, scanners and prefetch
    did (non_human_activity_count), how many of the human ones scored under
    the default scoring model after frequency caps, and their points before
    decay.
    Incremental by (lead, day): a run recomputes the lead-days it wrote
    activity rows for (new, late or with a changed verdict or cap), those
    that activity moved to another lead left (the pre-hook deletes them
    first: they may have nothing left), and every lead-day of the days the
    score date reached since the last run; a lead-day's rows do not depend on
    the score date once it is reached, and the pre-hook deletes days after an
    earlier score date. -#}
{%- set flagged_rows = ref('int_activities_flagged') %}
{%- set capped_rows = ref('int_activities_frequency_capped') %}

with

{% if is_incremental() %}
    batch as (

        select flagged_rows.lead_id, flagged_rows.occurred_date as activity_date
        from {{ flagged_rows }} as flagged_rows
        where {{ lead_scoring.loaded_this_run('flagged_rows') }}

        union

        select capped_rows.lead_id, capped_rows.occurred_date
        from {{ capped_rows }} as capped_rows
        where {{ lead_scoring.loaded_this_run('capped_rows') }}

        union

        {{ lead_scoring.lead_days_left_this_run() }}

        union

        select flagged_rows.lead_id, flagged_rows.occurred_date
        from {{ flagged_rows }} as flagged_rows
        where flagged_rows.occurred_date > (
            select coalesce(max(stored.activity_date), cast('1900-01-01' as date))
            from {{ this }} as stored
        )

    ),
{% endif %}

flagged as (

    select flagged_rows.* from {{ flagged_rows }} as flagged_rows
    where
        flagged_rows.occurred_date <= {{ score_date() }}
    {% if is_incremental() %}
        and exists (
            select 1 from batch
            where
                batch.lead_id = flagged_rows.lead_id
                and batch.activity_date = flagged_rows.occurred_date
        )
    {% endif %}

),

scored as (

    select capped_rows.* from {{ capped_rows }} as capped_rows
    where
        capped_rows.scoring_model = '{{ var("default_scoring_model", "default") }}'
        and capped_rows.is_scored
        and capped_rows.occurred_date <= {{ score_date() }}
    {% if is_incremental() %}
        and exists (
            select 1 from batch
            where
                batch.lead_id = capped_rows.lead_id
                and batch.activity_date = capped_rows.occurred_date
        )
    {% endif %}

),

activity as (

    select
        lead_id,
        occurred_date as activity_date,
        activity_type,
        max(activity_source) as activity_source,
        sum(case when is_non_human then 0 else 1 end) as human_activity_count,
        sum(case when is_non_human then 1 else 0 end) as non_human_activity_count
    from flagged
    group by lead_id, occurred_date, activity_type

),

points as (

    select
        lead_id,
        occurred_date as activity_date,
        activity_type,
        count(*) as scored_activity_count,
        sum(points) as points_before_decay
    from scored
    group by lead_id, occurred_date, activity_type

),

final as (

    select
        -- ids
        activity.lead_id,

        -- strings
        activity.activity_type,
        activity.activity_source,

        -- numerics
        cast(activity.human_activity_count as bigint) as human_activity_count,
        cast(activity.non_human_activity_count as bigint) as non_human_activity_count,
        cast(coalesce(points.scored_activity_count, 0) as bigint) as scored_activity_count,
        cast(coalesce(points.points_before_decay, 0) as {{ lead_scoring.type_double() }})
            as points_before_decay,

        -- dates
        activity.activity_date,

        -- lineage: the run that wrote the row (extracts can copy what changed)
        '{{ invocation_id }}' as loaded_run

    from activity
    left join points
        on
            activity.lead_id = points.lead_id
            and activity.activity_date = points.activity_date
            and activity.activity_type = points.activity_type

)

select * from final
