{{ config(materialized='view') }}
{#- The attributes segments test, per live lead as of score_date, as
    (lead, attribute, value) rows: the default scoring model's grade,
    engagement and stage, the lead's profile, and the clean-up flags
    (contactable, a hard bounce, an email shared with another lead). The
    attribute lists are var segment_attributes. A view: lead_segment_history
    reads it once, so nothing is stored. -#}
{%- set text_attributes = var('segment_attributes')['text'] -%}
{%- set number_attributes = var('segment_attributes')['number'] -%}
{%- set boolean_attributes = var('segment_attributes')['boolean'] -%}

with

history as (

    select * from {{ ref('lead_score_history') }}
    where
        score_date = {{ score_date() }}
        and scoring_model = '{{ var("default_scoring_model", "default") }}'

),

leads as (

    select * from {{ ref('int_leads_enriched') }}

),

activities as (

    select * from {{ ref('int_activities_flagged') }}

),

bounces as (

    select distinct lead_id
    from activities
    where
        activity_type = 'email_bounce'
        and occurred_date <= {{ score_date() }}

),

shared_emails as (

    select email
    from leads
    where email is not null
    group by email
    having count(*) > 1

),

lead_state as (

    select
        history.*,
        leads.email_domain_type,
        leads.country,
        leads.industry,
        leads.seniority,
        leads.lead_source,
        not leads.is_do_not_contact as is_contactable,
        bounces.lead_id is not null as has_hard_bounce,
        shared_emails.email is not null as is_duplicate_email
    from history
    inner join leads
        on history.lead_id = leads.lead_id
    left join bounces
        on history.lead_id = bounces.lead_id
    left join shared_emails
        on leads.email = shared_emails.email

),

final as (

    {% for attribute in text_attributes %}
        select
            lead_id,
            '{{ attribute }}' as attribute,
            lower(cast({{ attribute }} as {{ dbt.type_string() }})) as attribute_value,
            cast(null as {{ lead_scoring.type_double() }}) as attribute_number
        from lead_state
        union all
    {% endfor %}
    {% for attribute in number_attributes %}
        select
            lead_id,
            '{{ attribute }}' as attribute,
            cast({{ attribute }} as {{ dbt.type_string() }}) as attribute_value,
            cast({{ attribute }} as {{ lead_scoring.type_double() }}) as attribute_number
        from lead_state
        union all
    {% endfor %}
    {% for attribute in boolean_attributes %}
        select
            lead_id,
            '{{ attribute }}' as attribute,
            case when {{ attribute }} then 'true' else 'false' end as attribute_value,
            cast(null as {{ lead_scoring.type_double() }}) as attribute_number
        from lead_state
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from final
