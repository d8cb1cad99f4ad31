{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        unique_key='activity_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}
{#- The activities stream: one row per lead activity from web, email and the
    CRM activity log, in one shape. activity_id is prefixed with its source so
    keys never collide. Email event types are prefixed with email_. -#}
with

known_leads as (

    select lead_id from {{ ref('stg_crm__leads') }}
    where quarantine_reason is null

),

{% if is_incremental() %}
    newly_known_leads as (

        -- Leads without any stored activity: their activity may have been
        -- held back (unknown_lead) until the CRM delivered them.
        select known_leads.lead_id
        from known_leads
        where not exists (
            select 1 from {{ this }} as previous
            where previous.lead_id = known_leads.lead_id
        )

    ),
{% endif %}

web_events as (

    select stitched.* from {{ ref('int_web_events_stitched') }} as stitched
    {% if is_incremental() %}
        -- The events (re)stitched in this run, and those of newly known
        -- leads (two branches: a filter on loaded_run alone skips the
        -- stored row groups).
        where {{ lead_scoring.loaded_this_run('stitched') }}
        union all
        select stitched.* from {{ ref('int_web_events_stitched') }} as stitched
        inner join newly_known_leads
            on stitched.lead_id = newly_known_leads.lead_id
        where not {{ lead_scoring.loaded_this_run('stitched') }}
    {% endif %}

),

email_events as (

    select landed.* from {{ ref('stg_email__events') }} as landed
    {% if is_incremental() %}
        -- The events landed in this run, and those of newly known leads.
        where
            landed.quarantine_reason is null
            and {{ lead_scoring.loaded_this_run('landed') }}
        union all
        select landed.* from {{ ref('stg_email__events') }} as landed
        inner join newly_known_leads
            on landed.lead_id = newly_known_leads.lead_id
        where
            landed.quarantine_reason is null
            and not {{ lead_scoring.loaded_this_run('landed') }}
    {% else %}
        where landed.quarantine_reason is null
    {% endif %}

),

crm_activities as (

    select * from {{ ref('stg_crm__activities') }}
    where quarantine_reason is null

),

unioned as (

    select
        'web:' || event_id as activity_id,
        lead_id,
        'web' as activity_source,
        event_type as activity_type,
        page_url as url,
        user_agent,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        is_stitched,
        occurred_at
    from web_events

    union all

    select
        'email:' || event_id as activity_id,
        lead_id,
        'email' as activity_source,
        'email_' || event_type as activity_type,
        link_url as url,
        cast(null as {{ dbt.type_string() }}) as user_agent,
        campaign_id,
        false as is_stitched,
        occurred_at
    from email_events

    union all

    select
        'crm:' || activity_id as activity_id,
        lead_id,
        'crm' as activity_source,
        activity_type,
        cast(null as {{ dbt.type_string() }}) as url,
        cast(null as {{ dbt.type_string() }}) as user_agent,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        false as is_stitched,
        occurred_at
    from crm_activities

),

stream_rows as (

    select
        -- ids
        activity_id,
        lead_id,
        campaign_id,

        -- strings
        activity_source,
        activity_type,
        url,
        user_agent,

        -- booleans
        is_stitched,

        -- dates
        cast(occurred_at as date) as occurred_date,

        -- timestamps
        occurred_at,

        -- the run that (re)loaded the row: downstream models rescore its lead
        '{{ invocation_id }}' as loaded_run

    from unioned
    where
        occurred_at is not null
        -- Activity of a lead the CRM does not know is quarantined
        -- (quarantined_records, reason unknown_lead); anonymous web visits stay
        -- in int_web_events_stitched.
        and lead_id in (select known_leads.lead_id from known_leads)

),

final as (

    select * from stream_rows
    {% if is_incremental() %}
        -- Only rows not loaded yet: new and late events, visits whose
        -- visitor was identified since, activity of leads new to the CRM.
        -- (not exists, not "not in": the hash table is built on the batch)
        where not exists (
            select 1 from {{ this }} as previous
            where previous.activity_id = stream_rows.activity_id
        )
    {% endif %}

)

select * from final
