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

        -- numerics (macros/parse_values.sql: comma thousands separators read)
        {{ lead_scoring.firmographic_numbers() }},

        -- timestamps (UTC; an offset is converted)
        {{ lead_scoring.parse_timestamp('created_at') }} as created_at,
        {{ lead_scoring.parse_timestamp('updated_at') }} as updated_at,

        -- the raw row's content, to break ties between copies of one account
        {{ lead_scoring.raw_row_hash(['name', 'domain', 'industry', 'employee_count']) }}
            as raw_row_hash

    from source

),

checked as (

    {{ lead_scoring.numbered_key_copies(
        'renamed', 'account_id', 'updated_at desc nulls last, raw_row_hash asc') }}

),

final as (

    -- Every raw row stays; downstream models read the rows without a
    -- quarantine_reason, the quarantined_records mart lists the others.
    select
        *,
        case
            when account_id is null or account_id = '' then 'missing_key'
            when key_occurrence > 1 then 'duplicate_key'
            when has_unreadable_number then 'unreadable_number'
        end as quarantine_reason
    from checked

)

select * from final  -- noqa: AM04
