{#- Usable activity whose lead is not a known CRM lead (no usable row in
    stg_crm__leads): it cannot be scored, and quarantined_records lists it
    (quarantine_stage stream, reason unknown_lead). Web events are checked
    once stitched to a lead (anonymous visits are not activity of a lead):
    an anonymous event by the lead its visitor was identified as, found
    from the few visitors identified as an unknown lead (stitching every
    web event each run to check it would cost a join of them all). -#}
{#- (source table, relation, key, which rows are usable activity) -#}
{%- set activity_sources = [
    ('web_events', ref('stg_web__events'), 'event_id',
     'quarantine_reason is null and lead_id is not null'),
    ('email_events', ref('stg_email__events'), 'event_id', 'quarantine_reason is null'),
    ('activities', ref('stg_crm__activities'), 'activity_id', 'quarantine_reason is null'),
] -%}

with

leads as (

    select * from {{ ref('stg_crm__leads') }}
    where quarantine_reason is null

),

unknown_identities as (

    -- visitors identified as a lead the CRM does not know
    select
        identities.anonymous_id,
        identities.lead_id
    from {{ ref('int_web_identities_resolved') }} as identities
    where not exists (
        select 1 from leads
        where leads.lead_id = identities.lead_id
    )

),

activity as (

    {% for source_table, relation, key, usable in activity_sources %}
        select
            '{{ source_table }}' as source_table,
            {{ key }} as record_key,
            lead_id
        from {{ relation }}
        where {{ usable }}
        union all
    {% endfor %}

    -- anonymous web events of a visitor identified as an unknown lead
    select
        'web_events' as source_table,
        landed.event_id as record_key,
        unknown_identities.lead_id
    from {{ ref('stg_web__events') }} as landed
    inner join unknown_identities
        on landed.anonymous_id = unknown_identities.anonymous_id
    where landed.quarantine_reason is null and landed.lead_id is null

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
