with

source as (

    select * from {{ source('crm', 'crm_leads') }}

),

renamed as (

    select
        -- ids
        trim(cast(lead_id as {{ dbt.type_string() }})) as lead_id,
        nullif(trim(cast(account_id as {{ dbt.type_string() }})), '') as account_id,

        -- strings
        nullif(lower(trim(cast(email as {{ dbt.type_string() }}))), '') as email,
        nullif(trim(cast(first_name as {{ dbt.type_string() }})), '') as first_name,
        nullif(trim(cast(last_name as {{ dbt.type_string() }})), '') as last_name,
        nullif(trim(cast(job_title as {{ dbt.type_string() }})), '') as job_title,
        nullif(trim(cast(company_name as {{ dbt.type_string() }})), '') as company_name,
        nullif(lower(trim(cast(industry as {{ dbt.type_string() }}))), '') as industry,
        nullif(lower(trim(cast(country as {{ dbt.type_string() }}))), '') as country,
        nullif(lower(trim(cast(lead_source as {{ dbt.type_string() }}))), '') as lead_source,
        nullif(lower(trim(cast(status as {{ dbt.type_string() }}))), '') as status,
        nullif(
            lower(trim(cast(purchase_timeline as {{ dbt.type_string() }}))), ''
        ) as purchase_timeline,

        -- numerics
        {{ dbt.safe_cast('employee_count', 'bigint') }} as employee_count,
        {{ dbt.safe_cast('annual_revenue', lead_scoring.type_double()) }} as annual_revenue,

        -- booleans
        coalesce({{ dbt.safe_cast('do_not_contact', 'boolean') }}, false)
            as is_do_not_contact,
        {{ dbt.safe_cast('budget_confirmed', 'boolean') }} as has_budget_confirmed,
        {{ dbt.safe_cast('is_decision_maker', 'boolean') }} as is_decision_maker,
        {{ dbt.safe_cast('need_identified', 'boolean') }} as has_need_identified,
        coalesce({{ dbt.safe_cast('is_deleted', 'boolean') }}, false) as is_deleted,

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
            partition by lead_id order by updated_at desc
        ) as row_number_in_key

    from renamed
    where lead_id is not null and lead_id <> ''

),

final as (

    select * from deduplicated
    where row_number_in_key = 1

)

select * from final
