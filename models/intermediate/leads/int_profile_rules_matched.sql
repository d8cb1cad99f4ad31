{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        incremental_strategy='append',
        on_schema_change='append_new_columns',
        pre_hook=[
            "{{ lead_scoring.delete_stale_rules_version() }}",
            "{{ lead_scoring.delete_leads_not_kept(
                ref('int_lead_profile_fingerprints'), written_this_run_too=true) }}",
        ],
    )
}}
{#- One row per lead and profile rule that the lead's attributes satisfy.
    Only is_null matches a missing value, so the other rules are matched
    against the attribute rows that have a value (a join on the attribute
    name), and is_null rules against every lead (a lead without a row for
    the attribute has no value). An incremental run matches only the leads
    whose profile changed (int_lead_profile_fingerprints wrote them this
    run; its pre-hooks deleted their rows and those of leads no longer
    live), and every lead after a rules change. -#}
-- depends_on: {{ ref('int_scoring_rules_validated') }}, {{ ref('int_lead_profile_fingerprints') }}
with

leads as (

    select leads.* from {{ ref('int_leads_enriched') }} as leads
    {% if is_incremental() %}
        inner join (
            {{ lead_scoring.rows_to_recompute(
                ref('int_lead_profile_fingerprints'), 'changed') }}
        ) as changed
            on leads.lead_id = changed.lead_id
    {% endif %}

),

attributes as (

    -- Every row is a live lead's: only an incremental run narrows them.
    select attributes.* from {{ ref('int_lead_attributes_unpivoted') }} as attributes
    {% if is_incremental() %}
        inner join leads
            on attributes.lead_id = leads.lead_id
    {% endif %}

),

rules_version as (

    select * from {{ ref('int_scoring_rules_versioned') }}

),

profile_rules as (

    select * from {{ ref('profile_rules') }}

),

rules_normalised as (

    select
        rule_id,
        scoring_model,
        lower(trim(attribute)) as attribute,
        lower(trim(operator)) as operator,
        lower(trim(rule_value)) as rule_value,
        points,
        description
    from profile_rules

),

value_candidates as (

    select
        attributes.lead_id,
        rules_normalised.*,
        attributes.attribute_value,
        attributes.attribute_number
    from attributes
    inner join rules_normalised
        on attributes.attribute = rules_normalised.attribute
    where
        attributes.attribute_value is not null
        and rules_normalised.operator <> 'is_null'

),

null_candidates as (

    select
        leads.lead_id,
        rules_normalised.*,
        attributes.attribute_value,
        attributes.attribute_number
    from leads
    cross join rules_normalised
    left join attributes
        on
            leads.lead_id = attributes.lead_id
            and rules_normalised.attribute = attributes.attribute
    where rules_normalised.operator = 'is_null'

),

evaluated as (

    select
        *,
        {{ lead_scoring.rule_matches(
            'operator', 'rule_value', 'attribute_value', 'attribute_number') }}
            as is_match
    from value_candidates

    union all

    select
        *,
        attribute_value is null as is_match
    from null_candidates

),

final as (

    select
        -- ids
        evaluated.lead_id,
        evaluated.rule_id,

        -- strings
        evaluated.scoring_model,
        evaluated.attribute,
        evaluated.operator,
        evaluated.rule_value,
        evaluated.attribute_value,
        evaluated.description,

        -- numerics
        evaluated.points,

        -- run metadata
        rules_version.rules_version,
        '{{ invocation_id }}' as loaded_run

    from evaluated
    cross join rules_version
    where evaluated.is_match

)

select * from final
