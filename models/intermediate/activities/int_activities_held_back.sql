{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        unique_key='activity_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}
{#- Web and email activity of leads the CRM did not know when it was loaded
    (quarantined as unknown_lead), in the shape of the activities stream:
    int_activities_flagged loads a lead's held-back rows once the CRM
    delivers the lead, without searching every stored event for them.
    Incremental: a run adds the rows of its own batch (web events
    (re)stitched and email events landed in the run) whose lead is unknown.
    Rows stay after their lead becomes known; the stream loads each once. -#}
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

shaped as (

    {{ lead_scoring.activity_stream_select('web', 'web_events') }}

    union all

    {{ lead_scoring.activity_stream_select('email', 'email_events') }}

),

final as (

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

        -- lineage: the run that held the row back
        '{{ invocation_id }}' as loaded_run

    from shaped
    where
        occurred_at is not null
        and lead_id is not null
        and not exists (
            select 1 from known_leads
            where known_leads.lead_id = shaped.lead_id
        )

)

select * from final
