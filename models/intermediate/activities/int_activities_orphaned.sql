{#- Usable activity whose lead is not a known CRM lead (no usable row in
    stg_crm__leads): it cannot be scored, and quarantined_records lists it
    (quarantine_stage stream, reason unknown_lead). Web events are checked
    once stitched to a lead (anonymous visits are not activity of a lead). -#}
{#- (source table, relation, key, which rows are usable activity) -#}
{%- set activity_sources = [
    ('web_events', ref('int_web_events_stitched'), 'event_id', 'lead_id is not null'),
    ('email_events', ref('stg_email__events'), 'event_id', 'quarantine_reason is null'),
    ('activities', ref('stg_crm__activities'), 'activity_id', 'quarantine_reason is null'),
] -%}

with

leads as (

    select * from {{ ref('stg_crm__leads') }}
    where quarantine_reason is null

),

activity as (

    {% for source_table, relation, key, usable in activity_sources %}
        select
            '{{ source_table }}' as source_table,
            {{ key }} as record_key,
            lead_id
        from {{ relation }}
        where {{ usable }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        activity.source_table,
        activity.record_key,
        activity.lead_id
    from activity
    left join leads
        on activity.lead_id = leads.lead_id
    where leads.lead_id is null

)

select * from final
