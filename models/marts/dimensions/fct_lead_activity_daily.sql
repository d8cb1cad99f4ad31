{#- The activity fact at the grain BI tools expect: one row per lead, day and
    activity type up to score_date, with the activity a person did
    (human_activity_count) kept apart from what bots, scanners and prefetch
    did (non_human_activity_count), how many of the human ones scored under
    the default scoring model after frequency caps, and their points before
    decay. -#}
with

flagged as (

    select * from {{ ref('int_activities_flagged') }}
    where occurred_date <= {{ score_date() }}

),

scored as (

    select * from {{ ref('int_activities_frequency_capped') }}
    where
        scoring_model = '{{ var("default_scoring_model", "default") }}'
        and is_scored
        and occurred_date <= {{ score_date() }}

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
        activity.activity_date

    from activity
    left join points
        on
            activity.lead_id = points.lead_id
            and activity.activity_date = points.activity_date
            and activity.activity_type = points.activity_type

)

select * from final
