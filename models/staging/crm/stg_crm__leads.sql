with

source as (

    select * from {{ lead_scoring.raw_table('crm', 'crm_leads') }}

),

renamed as (

    select
        -- ids
        trim(cast(lead_id as {{ dbt.type_string() }})) as lead_id,
        nullif(trim(cast(account_id as {{ dbt.type_string() }})), '') as account_id,

        -- strings
        nullif(lower(trim(cast(email as {{ dbt.type_string() }}))), '') as email,
        coalesce(not {{ lead_scoring.regex_matches(
            "lower(trim(cast(email as " ~ dbt.type_string() ~ ")))",
            "'^[^@ ]+@[^@ ]+[.][^@ ]+$'") }}, false) as has_malformed_email,
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
        case
            when {{ dbt.safe_cast('employee_count', 'bigint') }} >= 0
                then {{ dbt.safe_cast('employee_count', 'bigint') }}
        end as employee_count,
        coalesce({{ dbt.safe_cast('employee_count', 'bigint') }} < 0, false)
            as has_negative_employee_count,
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
        (
            {{ dbt.safe_cast('created_at', 'timestamp') }} is null
            and created_at is not null
        ) as has_unparseable_created_at,
        {{ dbt.safe_cast('updated_at', 'timestamp') }} as updated_at

    from source

),

checked as (

    select
        *,
        row_number() over (
            partition by lead_id order by updated_at desc nulls last
        ) as key_occurrence
    from renamed

),

final as (

    -- Every raw row stays; downstream models read the rows without a
    -- quarantine_reason, the quarantined_records mart lists the others.
    select
        *,
        case
            when lead_id is null or lead_id = '' then 'missing_key'
            when key_occurrence > 1 then 'duplicate_key'
            when has_unparseable_created_at then 'unparseable_timestamp'
            when created_at > {{ lead_scoring.future_limit() }} then 'future_timestamp'
        end as quarantine_reason
    from checked

)

select * from final
