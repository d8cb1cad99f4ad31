with

source as (

    select * from {{ source('crm', 'crm_lead_attributes') }}

),

renamed as (

    select
        -- ids
        trim(cast(lead_id as {{ dbt.type_string() }})) as lead_id,

        -- strings
        lower(trim(cast(attribute as {{ dbt.type_string() }}))) as attribute,
        nullif(lower(trim(cast(value as {{ dbt.type_string() }}))), '') as attribute_value

    from source

)

select * from renamed
