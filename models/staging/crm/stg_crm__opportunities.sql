with

source as (

    select * from {{ lead_scoring.raw_table('crm', 'crm_opportunities') }}

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
        (
            {{ dbt.safe_cast('created_at', 'timestamp') }} is null
            and created_at is not null
        ) as has_unparseable_created_at,
        {{ dbt.safe_cast('closed_at', 'timestamp') }} as closed_at

    from source

),

checked as (

    select
        *,
        row_number() over (
            partition by opportunity_id order by created_at desc nulls last
        ) as key_occurrence
    from renamed

),

final as (

    -- Every raw row stays; downstream models read the rows without a
    -- quarantine_reason, the quarantined_records mart lists the others.
    select
        *,
        case
            when opportunity_id is null or opportunity_id = '' then 'missing_key'
            when key_occurrence > 1 then 'duplicate_key'
            when has_unparseable_created_at then 'unparseable_timestamp'
            when created_at is null then 'missing_timestamp'
            when created_at > {{ lead_scoring.future_limit() }} then 'future_timestamp'
        end as quarantine_reason
    from checked

)

select * from final
