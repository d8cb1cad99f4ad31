{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        unique_key='lead_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook=[
            "{{ lead_scoring.delete_stale_rules_version() }}",
            "{{ lead_scoring.delete_stale_predictive_model() }}",
        ],
    )
}}
{#- The stored activity state of the predictive model's features, per lead
    and activity key the trained model uses, as of state_date: counts ever
    and recent, decayed sum, and per lead an 'any activity' row with its
    latest human activity. int_lead_features rolls it forward to score_date.
    Like int_lead_rule_state, a run recomputes the leads with activity
    recomputed upstream, a count due to change (next_due_date) or a state of
    a later score_date, all after a rules or model change; their rows replace
    their stored ones ('any activity' always). Empty while there is no model. -#}
{%- set this_day = score_date() -%}
{%- set recent_days = var('prediction_recent_days') -%}
{%- set flagged = ref('int_activities_flagged') -%}
{%- set rule_matches = ref('int_activities_rules_matched') -%}
{%- set human_rows -%}
    (select lead_id, occurred_date from {{ flagged }} where not is_non_human)
{%- endset -%}
{%- set decay = lead_scoring.feature_decay(dbt.datediff('occurred_date', this_day, 'day')) -%}
{%- set recent_from = dbt.dateadd('day', 1 - recent_days, this_day) -%}

-- depends_on: {{ ref('int_scoring_rules_versioned') }}
with

{% if is_incremental() %}
leads_to_compute as (

    {{ lead_scoring.state_keys_to_recompute(
        flagged, ['lead_id'], also_when=lead_scoring.recompute_all()) }}
    union
    select matched.lead_id
    from {{ rule_matches }} as matched
    where {{ lead_scoring.loaded_this_run('matched') }}

),
{% endif %}

keyed_activities as (

    {#- a daily run keeps the model's keys after summing (final): cheaper at 1M -#}
    {{ lead_scoring.prediction_keyed_activities(
        model_features_only=not is_incremental(),
        leads='leads_to_compute' if is_incremental() else none) }}

),

human_activities as (

    -- a daily run: every lead computed, with or without human activity
    select
        {{ 'leads_to_compute' if is_incremental() else 'activities' }}.lead_id,
        activities.occurred_date
    {% if is_incremental() %}
        from leads_to_compute
        left join {{ human_rows }} as activities
            on leads_to_compute.lead_id = activities.lead_id
    {% else %}
        from {{ human_rows }} as activities
    {% endif %}
    -- nothing to compute while there is no model
    where exists (select 1 from {{ ref('predictive_model') }})

),

per_key as (

    select
        lead_id,
        activity_key,
        sum(case when occurred_date <= {{ this_day }} then 1 else 0 end) as count_all,
        sum(case when occurred_date between {{ recent_from }} and {{ this_day }} then 1 else 0 end)
            as count_recent,
        sum(case when occurred_date <= {{ this_day }} then {{ decay }} else 0 end)
            as decayed_sum,
        max(case when occurred_date <= {{ this_day }} then occurred_date end)
            as last_occurred_date,
        -- the next day a count changes: an activity dated later comes due,
        -- or one leaves the recent window
        least(
            min(case when occurred_date > {{ this_day }} then occurred_date end),
            min(case
                when occurred_date between {{ recent_from }} and {{ this_day }}
                    then {{ dbt.dateadd('day', recent_days, 'occurred_date') }}
            end)
        ) as next_due_date
    from keyed_activities
    group by lead_id, activity_key

),

per_lead as (

    -- every lead computed: its latest human activity ('any activity')
    select
        lead_id,
        'any activity' as activity_key,
        0 as count_all,
        0 as count_recent,
        0 as decayed_sum,
        max(case when occurred_date <= {{ this_day }} then occurred_date end)
            as last_occurred_date,
        min(case when occurred_date > {{ this_day }} then occurred_date end) as next_due_date
    from human_activities
    group by lead_id

),

final as (

    select
        -- ids
        states.lead_id,

        -- strings
        states.activity_key,
        {{ lead_scoring.predictive_model_version() }} as model_version,
        rules_version.rules_version,

        -- numerics
        cast(states.count_all as bigint) as count_all,
        cast(states.count_recent as bigint) as count_recent,
        cast(states.decayed_sum as {{ lead_scoring.type_double() }}) as decayed_sum,
        {{ lead_scoring.predictive_model_fingerprint() }} as model_fingerprint,

        -- dates
        {{ this_day }} as state_date,
        cast(states.next_due_date as date) as next_due_date,
        states.last_occurred_date,

        -- run metadata
        '{{ invocation_id }}' as loaded_run

    from (
        select * from per_key
        {% if is_incremental() -%}
            where activity_key in ({{ lead_scoring.prediction_keyed_activities_used() }})
        {%- endif %}
        union all
        select * from per_lead
    ) as states
    cross join {{ ref('int_scoring_rules_versioned') }} as rules_version
    -- no row while there is no model
    where exists (select 1 from {{ ref('predictive_model') }})

)

select * from final
