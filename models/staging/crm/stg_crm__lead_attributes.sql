with

source as (

    select * from {{ lead_scoring.raw_table('crm', 'crm_lead_attributes') }}

),

renamed as (

    select
        -- ids
        trim(cast(lead_id as {{ dbt.type_string() }})) as lead_id,

        -- strings
        lower(trim(cast(attribute as {{ dbt.type_string() }}))) as attribute,
        nullif(lower(trim(cast(value as {{ dbt.type_string() }}))), '') as attribute_value

    from source

),

checked as (

    {{ lead_scoring.numbered_key_copies(
        'renamed', 'lead_id, attribute', 'attribute_value') }}

),

final as (

    -- Every raw row stays; downstream models read the rows without a
    -- quarantine_reason, the quarantined_records mart lists the others.
    select
        *,
        case
            when lead_id is null or lead_id = '' then 'missing_key'
            when attribute is null or attribute = '' then 'missing_key'
            when key_occurrence > 1 then 'duplicate_key'
        end as quarantine_reason
    from checked

)

select * from final  -- noqa: AM04
