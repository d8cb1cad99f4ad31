{#- One row per lead, segment and score_date (the default scoring model's
    grade, engagement and stage). A lead is in a segment when it
    satisfies every condition row of the segment in the segments seed
    (attribute, operator, value as for profile rules). Marketing (nurture)
    segments never hold leads that must not be contacted. -#}
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

segments as (

    select * from {{ ref('segments') }}

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

attributes as (

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

),

conditions as (

    select
        segment_id,
        lower(trim(segment_group)) as segment_group,
        lower(trim(attribute)) as attribute,
        lower(trim(operator)) as operator,
        lower(trim(rule_value)) as rule_value,
        description
    from segments

),

evaluated as (

    select
        attributes.lead_id,
        conditions.segment_id,
        {{ lead_scoring.rule_matches(
            'conditions.operator', 'conditions.rule_value',
            'attributes.attribute_value', 'attributes.attribute_number') }} as is_match
    from conditions
    inner join attributes
        on conditions.attribute = attributes.attribute

),

condition_counts as (

    -- A member holds every condition, so the segment's group and reason are
    -- taken here, once per segment, not carried through the lead grouping.
    select
        segment_id,
        count(*) as condition_count,
        max(segment_group) as segment_group,
        max(description) as reason
    from conditions
    group by segment_id

),

matches as (

    -- Conditions that hold, counted per lead and segment (most do not hold:
    -- counting only those keeps the grouping small).
    select
        lead_id,
        segment_id,
        count(*) as matched_count
    from evaluated
    where is_match
    group by lead_id, segment_id

),

members as (

    -- Every condition of the segment holds.
    select
        matches.lead_id,
        matches.segment_id,
        condition_counts.segment_group,
        condition_counts.reason
    from matches
    inner join condition_counts
        on
            matches.segment_id = condition_counts.segment_id
            and matches.matched_count = condition_counts.condition_count

),

final as (

    select
        -- ids
        members.lead_id,
        members.segment_id,

        -- strings
        members.segment_group,
        members.reason,

        -- dates
        {{ score_date() }} as score_date

    from members
    inner join lead_state
        on members.lead_id = lead_state.lead_id
    where members.segment_group <> 'nurture' or lead_state.is_contactable

)

select * from final
