{#- One row per lead and profile rule that the lead's attributes satisfy.
    Only is_null matches a missing value, so the other rules are matched
    against the attribute rows that have a value (a join on the attribute
    name), and is_null rules against every lead (a lead without a row for
    the attribute has no value). -#}
-- depends_on: {{ ref('int_scoring_rules_validated') }}
with

leads as (

    select * from {{ ref('int_leads_enriched') }}

),

attributes as (

    select * from {{ ref('int_lead_attributes_unpivoted') }}

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
        lead_id,
        rule_id,

        -- strings
        scoring_model,
        attribute,
        operator,
        rule_value,
        attribute_value,
        description,

        -- numerics
        points

    from evaluated
    where is_match

)

select * from final
