{#- One row per live lead, scoring model and score_date; a run replaces its own
    score_date and keeps every other. The lifecycle stage is decided here as it
    depends on the lead's previous stage (same scoring model): customer >
    opportunity > disqualified > sql > mql > (sticky mql/sql until inactive for
    var recycle_after_inactive_days) > recycled > lead. A recycled lead keeps
    its fit, but only activity after recycled_at counts toward the MQL line. -#}
{%- set this_day = score_date() -%}
{%- set double = lead_scoring.type_double() -%}

with

lifecycle_inputs as (

    select * from {{ ref('int_lead_lifecycle_inputs') }}

),

decayed as (

    select * from {{ ref('int_activities_decayed') }}

),

{% for name, days_back in [('previous', 1), ('week_ago', 7), ('month_ago', 30)] %}
    -- The lead's latest row {{ days_back }}+ day(s) before this run (none on a full build).
    {{ name }} as (

        {{ lead_scoring.latest_history_rows(
            this, dbt.dateadd('day', -days_back, this_day),
            {'lead_id': dbt.type_string(), 'scoring_model': dbt.type_string(),
             'score_date': 'date', 'lifecycle_stage': dbt.type_string(),
             'behaviour_score': double, 'recycled_at': 'date'},
            keys=['lead_id', 'scoring_model'], wanted=lead_scoring.live_lead_keys()) }}

    ),
{% endfor %}

engagement_since_recycle as (

    {{ lead_scoring.behaviour_score_after('decayed', 'previous', 'recycled_at') }}

),

qualification as (

    select
        lifecycle_inputs.*,
        previous.lifecycle_stage as previous_stage,
        previous.recycled_at as previous_recycled_at,
        case
            when previous.recycled_at is null then lifecycle_inputs.behaviour_score
            else coalesce(engagement_since_recycle.behaviour_score, 0)
        end as qualifying_behaviour_score,
        week_ago.behaviour_score as behaviour_score_week_ago,
        month_ago.behaviour_score as behaviour_score_month_ago
    from lifecycle_inputs
    {% for joined in ['previous', 'week_ago', 'month_ago', 'engagement_since_recycle'] %}
        left join {{ joined }}
            on
                lifecycle_inputs.lead_id = {{ joined }}.lead_id
                and lifecycle_inputs.scoring_model = {{ joined }}.scoring_model
    {% endfor %}

),

staged as (

    select
        *,
        case
            when is_customer then 'customer'
            when has_open_opportunity then 'opportunity'
            when disqualification_reason is not null then 'disqualified'
            when
                grade <= '{{ var("mql_min_grade") }}'
                and qualifying_behaviour_score >= {{ var('mql_min_behaviour_score') }}
                and bant_count >= {{ var('sql_min_bant_criteria') }}
                then 'sql'
            when
                grade <= '{{ var("mql_min_grade") }}'
                and qualifying_behaviour_score >= {{ var('mql_min_behaviour_score') }}
                then 'mql'
            when
                previous_stage in ('mql', 'sql')
                and days_inactive < {{ var('recycle_after_inactive_days') }}
                then previous_stage
            when previous_stage in ('mql', 'sql', 'recycled') then 'recycled'
            else 'lead'
        end as lifecycle_stage
    from qualification

),

final as (

    select
        -- ids
        lead_id,

        -- strings
        scoring_model,
        rules_version,
        grade,
        grade_engagement_cell,
        rating,
        lifecycle_stage,
        disqualification_reason,
        coalesce(off_list_action, recommended_action) as recommended_action,
        predictive_model_version,

        -- numerics (cast to the contract's types on every engine)
        cast(fit_points as {{ double }}) as fit_points,
        cast(behaviour_score as {{ double }}) as behaviour_score,
        cast(qualifying_behaviour_score as {{ double }}) as qualifying_behaviour_score,
        cast(behaviour_score - behaviour_score_week_ago as {{ double }}) as behaviour_change_7d,
        cast(behaviour_score - behaviour_score_month_ago as {{ double }}) as behaviour_change_30d,
        cast(engagement_band as integer) as engagement_band,
        cast(matrix_priority as integer) as matrix_priority,
        -- Each model's priority list: workable leads only (null otherwise),
        -- in the rules' order (score_rank's, not score_rank itself: the
        -- engine then skips ranking every lead a second time).
        cast(case
            when is_workable
                then row_number() over (
                    partition by scoring_model, is_workable
                    order by {{ lead_scoring.rules_order() }}
                )
        end as integer) as priority_rank,
        cast(bant_count as integer) as bant_count,
        cast(days_inactive as integer) as days_inactive,
        cast(scored_activity_count as bigint) as scored_activity_count,
        cast(conversion_probability as {{ double }}) as conversion_probability,
        cast(predictive_score as integer) as predictive_score,

        -- dates
        {{ this_day }} as score_date,
        case
            when lifecycle_stage = 'recycled' and coalesce(previous_stage, '') <> 'recycled'
                then {{ this_day }}
            else previous_recycled_at
        end as recycled_at,

        -- timestamps
        last_activity_at,

        -- lineage: the run that wrote the row (a publish copies what changed)
        '{{ invocation_id }}' as loaded_run

    from staged

)

select * from final
