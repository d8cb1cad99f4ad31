{#- Every web event with the lead it belongs to: its own lead_id, or the lead
    its anonymous visitor was later (or earlier) identified as. Events of
    visitors never identified keep a null lead_id and are not scored. -#}
with

web_events as (

    select * from {{ ref('stg_web__events') }}
    where quarantine_reason is null

),

identities as (

    select * from {{ ref('int_web_identities_resolved') }}

),

final as (

    select
        -- ids
        web_events.event_id,
        web_events.anonymous_id,
        coalesce(web_events.lead_id, identities.lead_id) as lead_id,

        -- strings
        web_events.event_type,
        web_events.page_url,
        web_events.referrer,
        web_events.user_agent,

        -- booleans
        (web_events.lead_id is null and identities.lead_id is not null)
            as is_stitched,

        -- timestamps
        web_events.occurred_at

    from web_events
    left join identities
        on web_events.anonymous_id = identities.anonymous_id

)

select * from final
