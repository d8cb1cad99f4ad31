{#- The candidate features of the predictive model, long (one row per
    observation and feature), for the rows of int_prediction_observations
    that satisfy samples_condition. Only data dated on or before each
    observation's snapshot_date is read (profile attributes are the current
    ones: the CRM keeps no history of them). Used by int_lead_features (the
    leads scored today) and int_prediction_training_features (the training
    snapshots), which must agree. model_features_only: only the attributes
    and activity keys the trained model (seed predictive_model) uses, and no
    rows while there is no model (a daily build computes what it scores).
    single_snapshot_date: the one snapshot date every selected observation
    has (today's leads): the activity is then aged and summed per lead once,
    and joined to the observations after, not before. sources: the
    feature_sources to return (profile, activity, lead); the others are not
    computed. -#}
{% macro prediction_features(samples_condition, model_features_only=false,
                             single_snapshot_date=none,
                             sources=('profile', 'activity', 'lead')) -%}
{%- set default_model = var('default_scoring_model', 'default') -%}
with

observations as (

    select * from {{ ref('int_prediction_observations') }}
    where {{ samples_condition }}

),

attributes as (

    select * from {{ ref('int_lead_attributes_unpivoted') }}

),

activities {{ lead_scoring.as_read_again() }} (

    select * from {{ ref('int_activities_flagged') }}
    where not is_non_human

),

rule_matches as (

    select * from {{ ref('int_activities_rules_matched') }}
    where not is_non_human and scoring_model = '{{ default_model }}'

),

activity_rules as (

    select * from {{ ref('activity_rules') }}
    where scoring_model = '{{ default_model }}' and url_pattern is not null

),

{% if model_features_only %}
    used_names as (

        select distinct feature_source, feature_name
        from {{ ref('predictive_model') }}

    ),
{% endif %}

keyed_activities as (

    -- Every human activity under its type, and again under the URL pattern
    -- of the activity rule it matched, where that rule has one.
    select
        lead_id,
        activity_type as activity_key,
        occurred_date
    from activities

    union all

    select
        rule_matches.lead_id,
        activity_rules.activity_type || ' ' || activity_rules.url_pattern as activity_key,
        rule_matches.occurred_date
    from rule_matches
    inner join activity_rules
        on rule_matches.rule_id = activity_rules.rule_id

),

used_activities as (

    select * from keyed_activities
    {% if model_features_only %}
        where activity_key in (
            select feature_name from used_names where feature_source = 'activity'
        )
    {% endif %}

),

activity_ages as (

    {% if single_snapshot_date %}
        select
            {{ single_snapshot_date }} as snapshot_date,
            lead_id,
            activity_key,
            {{ dbt.datediff('occurred_date', single_snapshot_date, 'day') }} as age_days
        from used_activities
        where occurred_date <= {{ single_snapshot_date }}
    {% else %}
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
    {% endif %}

),

activity_measures as (

    select
        snapshot_date,
        lead_id,
        activity_key,
        count(*) as count_all,
        sum(case when age_days < {{ var('prediction_recent_days') }} then 1 else 0 end)
            as count_recent,
        sum(power(
            0.5,
            age_days / cast({{ var('prediction_half_life_days') }} as {{ lead_scoring.type_double() }})
        )) as decayed_sum
    from activity_ages
    group by snapshot_date, lead_id, activity_key
    {% if single_snapshot_date %}
        -- the observed leads only (the ages were not joined to them)
        having lead_id in (select lead_id from observations)
    {% endif %}

),

recency as (

    -- days since the latest human activity of any kind on or before the snapshot
    {% if single_snapshot_date %}
        select
            {{ single_snapshot_date }} as snapshot_date,
            lead_id,
            {{ dbt.datediff('max(occurred_date)', single_snapshot_date, 'day') }}
                as days_since_last
        from activities
        where occurred_date <= {{ single_snapshot_date }}
    {% else %}
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
    {% endif %}
    {% if model_features_only %}
        {{ 'and' if single_snapshot_date else 'where' }} exists (
            select 1 from used_names where feature_name = 'any activity'
        )
    {% endif %}
    {% if single_snapshot_date %}
        group by lead_id
        having lead_id in (select lead_id from observations)
    {% else %}
        group by observations.snapshot_date, observations.lead_id
    {% endif %}

),

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

activity_features as (

    {% for measure in ['count_all', 'count_recent', 'decayed_sum'] %}
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

final as (

    {% for source in sources %}
        select * from {{ source }}_features
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from final
{%- endmacro %}
