with

source as (

    select * from {{ lead_scoring.raw_table('crm', 'activities') }}

),

renamed as (

    select
        -- ids
        trim(cast(activity_id as {{ dbt.type_string() }})) as activity_id,
        nullif(trim(cast(lead_id as {{ dbt.type_string() }})), '') as lead_id,

        -- strings
        lower(trim(cast(activity_type as {{ dbt.type_string() }}))) as activity_type,
        nullif(trim(cast(detail as {{ dbt.type_string() }})), '') as detail,

        -- timestamps
        {{ lead_scoring.parse_timestamp('occurred_at') }} as occurred_at,
        (
            {{ lead_scoring.parse_timestamp('occurred_at') }} is null
            and occurred_at is not null
        ) as has_unparseable_occurred_at

    from source

),

checked as (

    {{ lead_scoring.numbered_key_copies(
        'renamed', 'activity_id', 'occurred_at nulls last') }}

),

final as (

    -- Every raw row stays; downstream models read the rows without a
    -- quarantine_reason, the quarantined_records mart lists the others.
    select
        *,
        case
            when activity_id is null or activity_id = '' then 'missing_key'
            when key_occurrence > 1 then 'duplicate_key'
            when lead_id is null then 'missing_lead'
            when has_unparseable_occurred_at then 'unparseable_timestamp'
            when occurred_at is null then 'missing_timestamp'
            when occurred_at > {{ lead_scoring.future_limit() }} then 'future_timestamp'
            when activity_type is null or activity_type = '' then 'unknown_event_type'
        end as quarantine_reason
    from checked

)

select * from final  -- noqa: AM04
