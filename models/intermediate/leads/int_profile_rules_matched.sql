{#- One row per lead and profile rule that the lead's attributes satisfy.
    Every lead is tested against every rule, so is_null also matches an
    attribute the lead has no row for. -#}
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

candidates as (

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

),

evaluated as (

    select
        *,
        {{ lead_scoring.rule_matches(
            'operator', 'rule_value', 'attribute_value', 'attribute_number') }}
            as is_match
    from candidates

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
