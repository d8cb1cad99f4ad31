{#- The candidate features of the predictive model, long (one row per
    observation and feature), for the rows of int_prediction_observations
    that satisfy samples_condition. Only data dated on or before each
    observation's snapshot_date is read (profile attributes are the current
    ones: the CRM keeps no history of them). Used by int_lead_features (the
    leads scored today), int_lead_predictive_static (their profile and counts) and
    int_prediction_training_features (the training snapshots), which must
    agree. model_features_only: only the attributes and activity keys the
    trained model (seed predictive_model) uses, and no rows while there is
    no model (a daily build computes what it scores). state: the stored
    activity state (int_lead_feature_state) to read the activity measures
    and recency from, rolled forward to each snapshot date, instead of
    aggregating every activity (today's leads). sources: the
    feature_sources to return (profile, activity, lead); the others are not
    computed. activity_measures: the activity measures to return (count_all,
    count_recent, decayed_sum). -#}
{% macro prediction_features(samples_condition, model_features_only=false, state=none,
                             sources=('profile', 'activity', 'lead'),
                             activity_measures=('count_all', 'count_recent', 'decayed_sum')) -%}
with

observations as (

    select * from {{ ref('int_prediction_observations') }}
    where {{ samples_condition }}

),

{% if 'profile' in sources %}
attributes as (

    select * from {{ ref('int_lead_attributes_unpivoted') }}

),
{% endif %}

{% if model_features_only %}
    used_names as (

        select distinct feature_source, feature_name
        from {{ ref('predictive_model') }}

    ),
{% endif %}

{% if 'activity' in sources or 'lead' in sources %}
{% if state %}
activity_measures as (

    -- the stored state rolled forward: decay is exponential, and the counts
    -- hold until next_due_date, which is after score_date
    select
        observations.snapshot_date,
        state.lead_id,
        state.activity_key,
        state.count_all,
        state.count_recent,
        {{ lead_scoring.feature_decayed_sum('state.decayed_sum * ' ~ lead_scoring.feature_decay(
            dbt.datediff('state.state_date', 'observations.snapshot_date', 'day'))) }}
            as decayed_sum
    from {{ state }} as state
    inner join observations
        on state.lead_id = observations.lead_id
    where state.activity_key <> 'any activity' and state.count_all > 0

),

recency as (

    select
        observations.snapshot_date,
        state.lead_id,
        {{ dbt.datediff('state.last_occurred_date', 'observations.snapshot_date', 'day') }}
            as days_since_last
    from {{ state }} as state
    inner join observations
        on state.lead_id = observations.lead_id
    where
        state.activity_key = 'any activity'
        and state.last_occurred_date is not null
        {% if model_features_only %}
            and exists (select 1 from used_names where feature_name = 'any activity')
        {% endif %}

),
{% else %}
activities as (

    select * from {{ ref('int_activities_flagged') }}
    where not is_non_human

),

used_activities as (

    {{ lead_scoring.prediction_keyed_activities(model_features_only) }}

),

activity_ages as (

    select
        observations.snapshot_date,
        observations.lead_id,
        used_activities.activity_key,
        {{ dbt.datediff('used_activities.occurred_date', 'observations.snapshot_date', 'day') }}
            as age_days
    from observations
    inner join used_activities
        on
            observations.lead_id = used_activities.lead_id
            and used_activities.occurred_date <= observations.snapshot_date

),

activity_measures as (

    select
        snapshot_date,
        lead_id,
        activity_key,
        count(*) as count_all,
        sum(case when age_days < {{ var('prediction_recent_days') }} then 1 else 0 end)
            as count_recent,
        {{ lead_scoring.feature_decayed_sum(
            'sum(' ~ lead_scoring.feature_decay('age_days') ~ ')') }} as decayed_sum
    from activity_ages
    group by snapshot_date, lead_id, activity_key

),

recency as (

    -- days since the latest human activity of any kind on or before the snapshot
    select
        observations.snapshot_date,
        observations.lead_id,
        min({{ dbt.datediff('activities.occurred_date', 'observations.snapshot_date', 'day') }})
            as days_since_last
    from observations
    inner join activities
        on
            observations.lead_id = activities.lead_id
            and activities.occurred_date <= observations.snapshot_date
    {% if model_features_only %}
        where exists (select 1 from used_names where feature_name = 'any activity')
    {% endif %}
    group by observations.snapshot_date, observations.lead_id

),
{% endif %}
{% endif %}

{% if 'profile' in sources %}
profile_features as (

    select
        observations.snapshot_date,
        observations.lead_id,
        'profile' as feature_source,
        attributes.attribute as feature_name,
        'value' as feature_measure,
        attributes.attribute_value as value_text,
        attributes.attribute_number as value_number
    from observations
    inner join attributes
        on observations.lead_id = attributes.lead_id
    where
        attributes.attribute_value is not null
        {% if model_features_only %}
            and attributes.attribute in (
                select feature_name from used_names where feature_source = 'profile'
            )
        {% endif %}

),
{% endif %}

{% if 'activity' in sources %}
activity_features as (

    {% for measure in activity_measures %}
        select
            snapshot_date,
            lead_id,
            'activity' as feature_source,
            activity_key as feature_name,
            '{{ measure }}' as feature_measure,
            cast(null as {{ dbt.type_string() }}) as value_text,
            cast({{ measure }} as {{ lead_scoring.type_double() }}) as value_number
        from activity_measures
        {% if measure == 'count_recent' %}where count_recent > 0{% endif %}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),
{% endif %}

{% if 'lead' in sources %}
lead_features as (

    -- Days since the lead's last human activity of any kind (none: no row)
    -- and days since it was created.
    select
        snapshot_date,
        lead_id,
        'lead' as feature_source,
        'any activity' as feature_name,
        'days_since_last' as feature_measure,
        cast(null as {{ dbt.type_string() }}) as value_text,
        cast(days_since_last as {{ lead_scoring.type_double() }}) as value_number
    from recency

    union all

    select
        snapshot_date,
        lead_id,
        'lead' as feature_source,
        'lead' as feature_name,
        'age_days' as feature_measure,
        cast(null as {{ dbt.type_string() }}) as value_text,
        cast({{ dbt.datediff('created_date', 'snapshot_date', 'day') }}
            as {{ lead_scoring.type_double() }}) as value_number
    from observations
    where
        created_date is not null
        {% if model_features_only %}
            and exists (select 1 from used_names where feature_name = 'lead')
        {% endif %}

),
{% endif %}

final as (

    {% for source in sources %}
        select * from {{ source }}_features
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from final
{%- endmacro %}


{#- SELECT of every human activity (lead_id, activity_key, occurred_date) of
    int_activities_flagged under its type, and again under the URL pattern
    of the default model's activity rule it matched, where that rule has
    one: the activity keys of the predictive model's features. With
    model_features_only only the keys the trained model uses; with leads
    (a relation with lead_id) only those leads' activity. -#}
{% macro prediction_keyed_activities(model_features_only=false, leads=none) -%}
{%- set default_model = var('default_scoring_model', 'default') -%}
select
    activities.lead_id,
    activities.activity_type as activity_key,
    activities.occurred_date
from {{ ref('int_activities_flagged') }} as activities
{%- if leads %}
inner join {{ leads }} as leads
    on activities.lead_id = leads.lead_id
{%- endif %}
where
    not activities.is_non_human
    {%- if model_features_only %}
    and activities.activity_type in ({{ lead_scoring.prediction_keyed_activities_used() }})
    {%- endif %}

union all

select
    rule_matches.lead_id,
    activity_rules.activity_type || ' ' || activity_rules.url_pattern as activity_key,
    rule_matches.occurred_date
from {{ ref('int_activities_rules_matched') }} as rule_matches
inner join {{ ref('activity_rules') }} as activity_rules
    on rule_matches.rule_id = activity_rules.rule_id
{%- if leads %}
inner join {{ leads }} as leads
    on rule_matches.lead_id = leads.lead_id
{%- endif %}
where
    not rule_matches.is_non_human
    and rule_matches.scoring_model = '{{ default_model }}'
    and activity_rules.url_pattern is not null
    {%- if model_features_only %}
    and activity_rules.activity_type || ' ' || activity_rules.url_pattern in (
        {{ lead_scoring.prediction_keyed_activities_used() }}
    )
    {%- endif %}
{%- endmacro %}

{#- SELECT of the activity keys the trained model uses (activity_key). -#}
{% macro prediction_keyed_activities_used() -%}
select used.feature_name as activity_key
from {{ ref('predictive_model') }} as used
where used.feature_source = 'activity'
{%- endmacro %}

{#- SQL: the weight of an activity `days` (SQL) old in the features' decayed
    sums, 0.5 ^ (days / prediction_half_life_days); also the factor that rolls
    a sum forward by `days`. -#}
{% macro feature_decay(days) -%}
    power(0.5, {{ days }} / cast({{ var('prediction_half_life_days') }}
        as {{ lead_scoring.type_double() }}))
{%- endmacro %}

{#- A decayed sum as a feature: rounded to 9 decimals, so that a sum rolled
    forward day by day (int_lead_feature_state) and one summed afresh (the
    training snapshots) are the same number, and fall in the same range of
    the model (its bounds have 6 significant digits). -#}
{% macro feature_decayed_sum(expression) -%}
    {{ return(adapter.dispatch('feature_decayed_sum', 'lead_scoring')(expression)) }}
{%- endmacro %}

{% macro default__feature_decayed_sum(expression) -%}
    round({{ expression }}, 9)
{%- endmacro %}

{% macro postgres__feature_decayed_sum(expression) -%}
    cast(round(cast({{ expression }} as numeric), 9) as double precision)
{%- endmacro %}

{#- The activity measures of the stored part of the predictive score
    (int_lead_predictive_static): the counts, which change only when the
    feature state recomputes a lead (today's decayed sums are scored apart). -#}
{% macro static_activity_measures() -%}
    {{ return(['count_all', 'count_recent']) }}
{%- endmacro %}

{#- The features of the stored part of the predictive score
    (int_lead_predictive_static): the profile and the activity counts of the
    rows of int_prediction_observations that satisfy samples_condition. -#}
{% macro static_prediction_features(samples_condition) -%}
    {{ lead_scoring.prediction_features(
        samples_condition, model_features_only=true, state=ref('int_lead_feature_state'),
        sources=['profile', 'activity'],
        activity_measures=lead_scoring.static_activity_measures()) }}
{%- endmacro %}
