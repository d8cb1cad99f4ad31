{{ config(materialized='view') }}
{#- Long format: one row per lead and profile attribute, built-in attributes
    from int_leads_enriched plus any extra attribute from crm_lead_attributes.
    Profile rules match on (attribute, value) so new attributes need no SQL.
    A view: its only reader (int_profile_rules_matched) unpivots faster than
    a table of ~13 rows per lead is written and read back. -#}
{%- set text_attributes = var('profile_attributes')['text'] -%}
{%- set number_attributes = var('profile_attributes')['number'] -%}
{%- set boolean_attributes = var('profile_attributes')['boolean'] -%}

with

leads as (

    select * from {{ ref('int_leads_enriched') }}

),

extra_attributes as (

    select * from {{ ref('stg_crm__lead_attributes') }}
    where quarantine_reason is null

),

built_in as (

    {% for attribute in text_attributes %}
        select
            lead_id,
            '{{ attribute }}' as attribute,
            lower({{ attribute }}) as attribute_value
        from leads
        union all
    {% endfor %}
    {% for attribute in number_attributes %}
        select
            lead_id,
            '{{ attribute }}' as attribute,
            cast({{ attribute }} as {{ dbt.type_string() }}) as attribute_value
        from leads
        union all
    {% endfor %}
    {% for attribute in boolean_attributes %}
        select
            lead_id,
            '{{ attribute }}' as attribute,
            case
                when {{ attribute }} then 'true'
                when not {{ attribute }} then 'false'
            end as attribute_value
        from leads
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

extra as (

    -- Extra attributes of live leads; a built-in name cannot be overridden.
    select
        extra_attributes.lead_id,
        extra_attributes.attribute,
        max(extra_attributes.attribute_value) as attribute_value
    from extra_attributes
    inner join leads
        on extra_attributes.lead_id = leads.lead_id
    where
        extra_attributes.attribute not in (
        {%- for attribute in text_attributes + number_attributes
            + boolean_attributes -%}
                '{{ attribute }}'{% if not loop.last %}, {% endif %}
            {%- endfor -%}
        )
    group by extra_attributes.lead_id, extra_attributes.attribute

),

unioned as (

    select * from built_in
    union all
    select * from extra

),

final as (

    select
        lead_id,
        attribute,
        attribute_value,
        case
            when {{ lead_scoring.regex_matches(
                'attribute_value',
                "'^-?[0-9]+([.][0-9]+)?([eE][-+]?[0-9]+)?$'") }}
                then cast(attribute_value as {{ lead_scoring.type_double() }})
        end as attribute_number
    from unioned

)

select * from final
