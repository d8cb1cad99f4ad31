with

source as (

    select * from {{ source('crm', 'crm_accounts') }}

),

renamed as (

    select
        -- ids
        trim(cast(account_id as {{ dbt.type_string() }})) as account_id,

        -- strings
        nullif(trim(cast(name as {{ dbt.type_string() }})), '') as account_name,
        nullif(lower(trim(cast(domain as {{ dbt.type_string() }}))), '') as domain,
        nullif(lower(trim(cast(industry as {{ dbt.type_string() }}))), '') as industry,
        nullif(lower(trim(cast(country as {{ dbt.type_string() }}))), '') as country,

        -- numerics
        {{ dbt.safe_cast('employee_count', 'bigint') }} as employee_count,
        {{ dbt.safe_cast('annual_revenue', lead_scoring.type_double()) }} as annual_revenue,

        -- timestamps
        {{ dbt.safe_cast('created_at', 'timestamp') }} as created_at,
        {{ dbt.safe_cast('updated_at', 'timestamp') }} as updated_at

    from source

),

deduplicated as (

    -- A key delivered more than once is kept once (the latest/first version).
    select
        *,
        row_number() over (
            partition by account_id order by updated_at desc
        ) as row_number_in_key

    from renamed
    where account_id is not null and account_id <> ''

),

final as (

    select * from deduplicated
    where row_number_in_key = 1

)

select * from final
