{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        unique_key='activity_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}
{#- The activities stream: one row per lead activity from web, email and the
    CRM activity log, in one shape (activity_stream_select). -#}
{#- The held-back activity is read on incremental runs only; a full build
    reads every event. -#}
-- depends_on: {{ ref('int_activities_held_back') }}
with

known_leads as (

    select lead_id from {{ ref('stg_crm__leads') }}
    where quarantine_reason is null

),

web_events as (

    {{ lead_scoring.activity_batch('web') }}

),

email_events as (

    {{ lead_scoring.activity_batch('email') }}

),

crm_activities as (

    select * from {{ ref('stg_crm__activities') }}
    where quarantine_reason is null

),

batch as (

    {{ lead_scoring.activity_stream_select('web', 'web_events') }}

    union all

    {{ lead_scoring.activity_stream_select('email', 'email_events') }}

    union all

    {{ lead_scoring.activity_stream_select('crm', 'crm_activities') }}

),

unioned as (

    select * from batch

    {% if is_incremental() %}
        union all

        -- Activity held back (unknown_lead) until the CRM delivered its
        -- lead; the batch's version of an event wins (restitched since).
        select
            held_back.activity_id,
            held_back.lead_id,
            held_back.activity_source,
            held_back.activity_type,
            held_back.url,
            held_back.user_agent,
            held_back.campaign_id,
            held_back.is_stitched,
            held_back.occurred_at
        from {{ ref('int_activities_held_back') }} as held_back
        where not exists (
            select 1 from batch
            where batch.activity_id = held_back.activity_id
        )
    {% endif %}

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

{% if is_incremental() %}
    stored_versions as (

        -- The stored rows of the run's activity ids (the engine builds its
        -- hash table on the run's rows, not on every stored one).
        select previous.activity_id, previous.lead_id
        from {{ this }} as previous
        where previous.activity_id in (select stream_rows.activity_id from stream_rows)

    ),
{% endif %}

final as (

    select
        stream_rows.*,
        {% if is_incremental() -%}
            stored_versions.lead_id as moved_from_lead_id
        {%- else -%}
            cast(null as {{ dbt.type_string() }}) as moved_from_lead_id
        {%- endif %}
    from stream_rows
    {% if is_incremental() %}
        -- Only rows not loaded yet (new and late events, visits whose visitor
        -- was identified since, activity of leads new to the CRM) and rows
        -- loaded for another lead before (a re-stitched visit: its visitor's
        -- first identification changed), with the lead they leave.
        left join stored_versions
            on stream_rows.activity_id = stored_versions.activity_id
        where stored_versions.lead_id is distinct from stream_rows.lead_id
    {% endif %}

)

select * from final
