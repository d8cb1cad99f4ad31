{#- One row per anonymous visitor that an identify or form submit linked to a
    lead. If one browser identified as several leads, the first
    identification wins. -#}
with

web_events as (

    select * from {{ ref('stg_web__events') }}
    where quarantine_reason is null

),

identifications as (

    select
        anonymous_id,
        lead_id,
        occurred_at,
        row_number() over (
            partition by anonymous_id
            order by occurred_at, event_id
        ) as identification_order
    from web_events
    where
        lead_id is not null
        and anonymous_id is not null

),

final as (

    select
        -- ids
        anonymous_id,
        lead_id,

        -- timestamps
        occurred_at as identified_at

    from identifications
    where identification_order = 1

)

select * from final
