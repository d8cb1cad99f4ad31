{#- A table, where the other staging models are views: eight models and its
    data tests read it, and every read of a view parses the raw leads again
    (2.8 s a read at 1M leads). -#}
{{ config(materialized='table') }}

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

        -- numerics (macros/parse_values.sql: comma thousands separators read)
        {{ lead_scoring.firmographic_numbers() }},

        -- booleans (true/false, yes/no, y/n, t/f, 1/0; anything else quarantined)
        coalesce({{ lead_scoring.parse_boolean('do_not_contact') }}, false)
            as is_do_not_contact,
        {{ lead_scoring.parse_boolean('budget_confirmed') }} as has_budget_confirmed,
        {{ lead_scoring.parse_boolean('is_decision_maker') }} as is_decision_maker,
        {{ lead_scoring.parse_boolean('need_identified') }} as has_need_identified,
        coalesce({{ lead_scoring.parse_boolean('is_deleted') }}, false) as is_deleted,
        (
            {%- for column in ['do_not_contact', 'budget_confirmed', 'is_decision_maker',
                               'need_identified', 'is_deleted'] %}
                {% if not loop.first %}or {% endif -%}
                {{ lead_scoring.is_unreadable(column, lead_scoring.parse_boolean(column)) }}
            {%- endfor %}
        ) as has_unreadable_boolean,

        -- timestamps (UTC; an offset is converted)
        {{ lead_scoring.parse_timestamp('created_at') }} as created_at,
        {{ lead_scoring.is_unreadable('created_at', lead_scoring.parse_timestamp('created_at')) }}
            as has_unparseable_created_at,
        {{ lead_scoring.parse_timestamp('updated_at') }} as updated_at,

        -- the raw row's content, to break ties between copies of one lead
        {{ lead_scoring.raw_row_hash([
            'email', 'job_title', 'company_name', 'status', 'do_not_contact',
            'is_deleted', 'created_at']) }}
            as raw_row_hash

    from source

),

-- The latest update wins; two copies updated at the same moment are
-- ordered by their content's hash, so every run keeps the same one.
checked as (

    {{ lead_scoring.numbered_key_copies(
        'renamed', 'lead_id', 'updated_at desc nulls last, raw_row_hash asc') }}

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
            when has_unreadable_boolean then 'unreadable_boolean'
            when has_unreadable_number then 'unreadable_number'
        end as quarantine_reason
    from checked

)

select * from final  -- noqa: AM04
