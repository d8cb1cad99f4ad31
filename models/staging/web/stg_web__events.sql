with

source as (

    select * from {{ source('web', 'web_events') }}

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
        {{ dbt.safe_cast('occurred_at', 'timestamp') }} as occurred_at

    from source

),

deduplicated as (

    -- A key delivered more than once is kept once (the latest/first version).
    select
        *,
        row_number() over (
            partition by event_id order by occurred_at
        ) as row_number_in_key

    from renamed
    where event_id is not null and event_id <> ''

),

final as (

    select * from deduplicated
    where row_number_in_key = 1

)

select * from final
