with

source as (

    select * from {{ source('crm', 'crm_opportunities') }}

),

renamed as (

    select
        -- ids
        trim(cast(opportunity_id as {{ dbt.type_string() }})) as opportunity_id,
        nullif(trim(cast(lead_id as {{ dbt.type_string() }})), '') as lead_id,
        nullif(trim(cast(account_id as {{ dbt.type_string() }})), '') as account_id,

        -- strings
        nullif(lower(trim(cast(stage as {{ dbt.type_string() }}))), '') as stage,

        -- numerics
        {{ dbt.safe_cast('amount', lead_scoring.type_double()) }} as amount,

        -- booleans
        coalesce({{ dbt.safe_cast('is_closed', 'boolean') }}, false) as is_closed,
        coalesce({{ dbt.safe_cast('is_won', 'boolean') }}, false) as is_won,

        -- timestamps
        {{ dbt.safe_cast('created_at', 'timestamp') }} as created_at,
        {{ dbt.safe_cast('closed_at', 'timestamp') }} as closed_at

    from source

),

deduplicated as (

    -- A key delivered more than once is kept once (the latest/first version).
    select
        *,
        row_number() over (
            partition by opportunity_id order by created_at desc
        ) as row_number_in_key

    from renamed
    where opportunity_id is not null and opportunity_id <> ''

),

final as (

    select * from deduplicated
    where row_number_in_key = 1

)

select * from final
