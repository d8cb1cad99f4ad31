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

        -- numerics (macros/parse_values.sql: comma thousands separators read)
        {{ lead_scoring.parse_number('amount', lead_scoring.type_double()) }} as amount,
        {{ lead_scoring.is_unreadable('amount', lead_scoring.parse_number(
            'amount', lead_scoring.type_double())) }} as has_unreadable_number,

        -- booleans (true/false, yes/no, y/n, t/f, 1/0; anything else quarantined)
        coalesce({{ lead_scoring.parse_boolean('is_closed') }}, false) as is_closed,
        coalesce({{ lead_scoring.parse_boolean('is_won') }}, false) as is_won,
        (
            {{ lead_scoring.is_unreadable('is_closed', lead_scoring.parse_boolean('is_closed')) }}
            or {{ lead_scoring.is_unreadable('is_won', lead_scoring.parse_boolean('is_won')) }}
        ) as has_unreadable_boolean,

        -- timestamps (UTC; an offset is converted)
        {{ lead_scoring.parse_timestamp('created_at') }} as created_at,
        {{ lead_scoring.is_unreadable('created_at', lead_scoring.parse_timestamp('created_at')) }}
            as has_unparseable_created_at,
        {{ lead_scoring.parse_timestamp('closed_at') }} as closed_at,

        -- the raw row's content, to break ties between copies of one opportunity
        {{ lead_scoring.raw_row_hash(['lead_id', 'stage', 'is_won', 'closed_at']) }}
            as raw_row_hash

    from source

),

checked as (

    {{ lead_scoring.numbered_key_copies(
        'renamed', 'opportunity_id', 'created_at desc nulls last, raw_row_hash asc') }}

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
            when has_unreadable_boolean then 'unreadable_boolean'
            when has_unreadable_number then 'unreadable_number'
        end as quarantine_reason
    from checked

)

select * from final  -- noqa: AM04
