{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        unique_key='activity_key',
        incremental_strategy='delete+insert',
        on_schema_change='sync_all_columns',
        pre_hook=[
            "{{ lead_scoring.add_activity_key() }}",
            "{{ lead_scoring.delete_stale_rules_version() }}",
        ],
    )
}}
{#- Each activity (see int_activities_flagged), whatever its date, with the
    one activity rule that scores it, per scoring model; non-human activity
    too, marked, so that a changed verdict replaces its row (it is not scored
    downstream). A rule matches on activity_type and, when it has one,
    url_pattern (a regular expression on the URL). When several rules match,
    a rule with a url_pattern beats a catch-all, then the lower rule_id wins.
    Incremental: recomputes the rows int_activities_flagged recomputed in
    this run (a match depends on the activity alone). On a full build the
    activities CTE reads every stored row, once for each use: held as one
    copy it was written out whole (at 1M leads 21.6 s -> 16.6 s). Only the
    columns its readers use are written (the activity by its activity_key;
    its id, URL and non-human reason stay in int_activities_flagged;
    sync_all_columns drops them from older tables). -#}
-- depends_on: {{ ref('int_scoring_rules_validated') }}
with

rules_version as (

    select * from {{ ref('int_scoring_rules_versioned') }}

),

activities {{ lead_scoring.as_read_again_on_full_build() }} (

    {{ lead_scoring.rows_to_recompute(ref('int_activities_flagged'), 'flagged') }}

),

activity_rules as (

    select * from {{ ref('activity_rules') }}

),

rules_normalised as (

    select
        rule_id,
        scoring_model,
        lower(trim(activity_type)) as activity_type,
        nullif(lower(trim(url_pattern)), '') as url_pattern,
        points,
        half_life_days,
        max_points,
        max_per_day,
        max_lifetime,
        description
    from activity_rules

),

activity_keys as (

    -- Many activities share a type and URL: match each pair once.
    select distinct
        activity_type,
        url
    from activities

),

candidates as (

    select
        activity_keys.activity_type,
        activity_keys.url,
        rules_normalised.rule_id,
        rules_normalised.scoring_model,
        rules_normalised.points,
        rules_normalised.half_life_days,
        rules_normalised.max_points,
        rules_normalised.max_per_day,
        rules_normalised.max_lifetime,
        row_number() over (
            partition by
                activity_keys.activity_type,
                activity_keys.url,
                rules_normalised.scoring_model
            order by
                case when rules_normalised.url_pattern is null then 1 else 0 end,
                rules_normalised.rule_id
        ) as rule_precedence
    from activity_keys
    inner join rules_normalised
        on activity_keys.activity_type = rules_normalised.activity_type
    where
        rules_normalised.url_pattern is null
        or {{ lead_scoring.regex_matches(
            'activity_keys.url', 'rules_normalised.url_pattern') }}

),

final as (

    select
        -- ids
        activities.activity_key,
        activities.lead_id,
        candidates.rule_id,

        -- strings
        candidates.scoring_model,
        activities.activity_type,

        -- numerics
        candidates.points,
        candidates.half_life_days,
        candidates.max_points,
        candidates.max_per_day,
        candidates.max_lifetime,

        -- booleans
        activities.is_non_human,

        -- dates
        activities.occurred_date,

        -- timestamps
        activities.occurred_at,

        -- lineage
        rules_version.rules_version,
        '{{ invocation_id }}' as loaded_run

    from activities
    cross join rules_version
    inner join candidates
        on
            activities.activity_type = candidates.activity_type
            and activities.url is not distinct from candidates.url
            and candidates.rule_precedence = 1

)

select * from final
