{{
    config(
        materialized=('view' if target.type == 'spark' else 'incremental'),
        unique_key='event_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        pre_hook="{{ lead_scoring.drop_stored_landing_key() }}",
        post_hook="{{ lead_scoring.replace_rows_without_key('event_id') }}",
    )
}}
{#- Landed (macros/rows_to_land.sql): an incremental table of every raw row; a
    run types and checks the rows of keys that arrived since. -#}
{%- set raw_events = lead_scoring.raw_table('web', 'web_events') -%}
with

source as (

    {{ lead_scoring.rows_to_land(raw_events, 'event_id', 'occurred_at') }}

),

renamed as (

    select
        -- ids
        trim(cast(event_id as {{ dbt.type_string() }})) as event_id,
        nullif(trim(cast(anonymous_id as {{ dbt.type_string() }})), '') as anonymous_id,
        nullif(trim(cast(lead_id as {{ dbt.type_string() }})), '') as lead_id,

        -- strings
        lower(trim(cast(event_type as {{ dbt.type_string() }}))) as event_type,
        nullif(lower(trim(cast(page_url as {{ dbt.type_string() }}))), '') as page_url,
        nullif(trim(cast(referrer as {{ dbt.type_string() }})), '') as referrer,
        nullif(trim(cast(user_agent as {{ dbt.type_string() }})), '') as user_agent,

        -- timestamps
        {{ lead_scoring.parse_timestamp('occurred_at') }} as occurred_at,
        (
            {{ lead_scoring.parse_timestamp('occurred_at') }} is null
            and occurred_at is not null
        ) as has_unparseable_occurred_at,
        -- when the loader delivered the row (var landing_loaded_at_column)
        {{ lead_scoring.delivered_at() }} as delivered_at

    from source

),

checked as (

    {{ lead_scoring.numbered_key_copies(
        'renamed', 'event_id', 'occurred_at nulls last, delivered_at nulls last') }}

),

final as (

    -- Every raw row stays; downstream models read the rows without a
    -- quarantine_reason, the quarantined_records mart lists the others.
    select
        *,
        case
            when event_id is null or event_id = '' then 'missing_key'
            when key_occurrence > 1 then 'duplicate_key'
            when has_unparseable_occurred_at then 'unparseable_timestamp'
            when occurred_at is null then 'missing_timestamp'
            when occurred_at > {{ lead_scoring.future_limit() }} then 'future_timestamp'
            when event_type is null then 'unknown_event_type'
            when event_type not in (
                'page_view', 'form_submit', 'identify'
            ) then 'unknown_event_type'
        end as quarantine_reason,
        -- lineage: the run that landed the row
        '{{ invocation_id }}' as loaded_run
    from checked

)

select * from final  -- noqa: AM04
