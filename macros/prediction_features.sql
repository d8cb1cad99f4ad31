{#- The candidate features of the predictive model, long (one row per
    observation and feature), for the rows of int_prediction_observations
    that satisfy samples_condition. Only data dated on or before each
    observation's snapshot_date is read (profile attributes are the current
    ones: the CRM keeps no history of them). Used by int_lead_features (the
    leads scored today) and int_prediction_training_features (the training
    snapshots), which must agree. -#}
{% macro prediction_features(samples_condition) -%}
{%- set default_model = var('default_scoring_model', 'default') -%}
with

observations as (

    select * from {{ ref('int_prediction_observations') }}
    where {{ samples_condition }}

),

attributes as (

    select * from {{ ref('int_lead_attributes_unpivoted') }}

),

activities as (

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

activity_ages as (

    select
        observations.snapshot_date,
        observations.lead_id,
        keyed_activities.activity_key,
        {{ dbt.datediff('keyed_activities.occurred_date', 'observations.snapshot_date', 'day') }}
            as age_days
    from observations
    inner join keyed_activities
        on
            observations.lead_id = keyed_activities.lead_id
            and keyed_activities.occurred_date <= observations.snapshot_date

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
        )) as decayed_sum,
        min(age_days) as days_since_last
    from activity_ages
    group by snapshot_date, lead_id, activity_key

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
    where attributes.attribute_value is not null

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
        cast(min(days_since_last) as {{ lead_scoring.type_double() }}) as value_number
    from activity_measures
    group by snapshot_date, lead_id

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
    where created_date is not null

),

final as (

    select * from profile_features
    union all
    select * from activity_features
    union all
    select * from lead_features

)

select * from final
{%- endmacro %}
