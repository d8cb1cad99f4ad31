with

source as (

    select * from {{ lead_scoring.raw_table('crm', 'crm_accounts') }}

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
        case
            when {{ dbt.safe_cast('employee_count', 'bigint') }} >= 0
                then {{ dbt.safe_cast('employee_count', 'bigint') }}
        end as employee_count,
        coalesce({{ dbt.safe_cast('employee_count', 'bigint') }} < 0, false)
            as has_negative_employee_count,
        {{ dbt.safe_cast('annual_revenue', lead_scoring.type_double()) }} as annual_revenue,

        -- timestamps
        {{ dbt.safe_cast('created_at', 'timestamp') }} as created_at,
        {{ dbt.safe_cast('updated_at', 'timestamp') }} as updated_at

    from source

),

checked as (

    select
        *,
        row_number() over (
            partition by account_id order by updated_at desc nulls last
        ) as key_occurrence
    from renamed

),

final as (

    -- Every raw row stays; downstream models read the rows without a
    -- quarantine_reason, the quarantined_records mart lists the others.
    select
        *,
        case
            when account_id is null or account_id = '' then 'missing_key'
            when key_occurrence > 1 then 'duplicate_key'
        end as quarantine_reason
    from checked

)

select * from final
