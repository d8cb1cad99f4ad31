with

source as (

    select * from {{ source('crm', 'activities') }}

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
        {{ dbt.safe_cast('occurred_at', 'timestamp') }} as occurred_at

    from source

),

deduplicated as (

    -- A key delivered more than once is kept once (the latest/first version).
    select
        *,
        row_number() over (
            partition by activity_id order by occurred_at
        ) as row_number_in_key

    from renamed
    where activity_id is not null and activity_id <> ''

),

final as (

    select * from deduplicated
    where row_number_in_key = 1

)

select * from final
