{{
    config(
        materialized=('table' if target.type == 'spark' else 'incremental'),
        unique_key='event_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}
{#- Every web event with the lead it belongs to: its own lead_id, or the lead
    its anonymous visitor was later (or earlier) identified as. Events of
    visitors never identified keep a null lead_id and are not scored.
    Incremental by event: a run adds the events landed in this run and not
    stored yet, and restitches the stored events of visitors whose identity
    this run recomputed (identified, or identified differently); stored rows
    are not rewritten otherwise. -#}
with

web_events as (

    -- On an incremental run: the events landed in this run and not stored yet.
    select landed.* from {{ ref('stg_web__events') }} as landed
    {% if is_incremental() %}
        where
            landed.quarantine_reason is null
            and {{ lead_scoring.loaded_this_run('landed') }}
            -- not exists, not "not in": the engine can then build its hash
            -- table on the small batch instead of on every stored event
            and not exists (
                select 1 from {{ this }} as previous
                where previous.event_id = landed.event_id
            )
    {% else %}
        where landed.quarantine_reason is null
    {% endif %}

),

identities as (

    select * from {{ ref('int_web_identities_resolved') }}

),

new_events as (

    select
        web_events.event_id,
        web_events.anonymous_id,
        coalesce(web_events.lead_id, identities.lead_id) as lead_id,
        web_events.event_type,
        web_events.page_url,
        web_events.referrer,
        web_events.user_agent,
        (web_events.lead_id is null and identities.lead_id is not null)
            as is_stitched,
        web_events.occurred_at
    from web_events
    left join identities
        on web_events.anonymous_id = identities.anonymous_id

),

{% if is_incremental() %}
    restitched as (

        -- Stored events without a lead of their own whose visitor's identity
        -- is new or changed.
        select
            previous.event_id,
            previous.anonymous_id,
            identities.lead_id,
            previous.event_type,
            previous.page_url,
            previous.referrer,
            previous.user_agent,
            true as is_stitched,
            previous.occurred_at
        from {{ this }} as previous
        inner join identities
            on previous.anonymous_id = identities.anonymous_id
        where
            {{ lead_scoring.loaded_this_run('identities') }}
            and (previous.is_stitched or previous.lead_id is null)
            and previous.lead_id is distinct from identities.lead_id

    ),
{% endif %}

batch as (

    select * from new_events
    {% if is_incremental() %}
        union all
        select * from restitched
    {% endif %}

),

final as (

    select
        -- ids
        event_id,
        anonymous_id,
        lead_id,

        -- strings
        event_type,
        page_url,
        referrer,
        user_agent,

        -- booleans
        is_stitched,

        -- timestamps
        occurred_at,

        -- lineage: the run that (re)stitched the row
        '{{ invocation_id }}' as loaded_run

    from batch

)

select * from final
