{#- Everything that could not be used as delivered, with the reason, so
    nothing is lost silently. quarantine_level row: the row is left out
    (missing or duplicate key, unparseable, missing or future timestamp,
    unknown event type, missing or unknown lead). value: the row is used but
    one value is not (a malformed email makes the lead a clean-up candidate; a
    negative head count is treated as unknown). quarantine_stage says where it
    was caught: staging (one raw table) or stream (the activities stream). -#}
{%- set staged = [
    ('crm_leads', 'stg_crm__leads', 'lead_id', 'email'),
    ('crm_accounts', 'stg_crm__accounts', 'account_id', 'account_name'),
    ('crm_opportunities', 'stg_crm__opportunities', 'opportunity_id', 'stage'),
    ('crm_lead_attributes', 'stg_crm__lead_attributes', 'lead_id', 'attribute'),
    ('activities', 'stg_crm__activities', 'activity_id', 'activity_type'),
    ('web_events', 'stg_web__events', 'event_id', 'event_type'),
    ('email_events', 'stg_email__events', 'event_id', 'event_type'),
] -%}
{#- Staging views read by more than one CTE below are imported once (the
    engine then computes them once, not once per reader). -#}
{%- set imported = {'stg_crm__leads': 'crm_leads', 'stg_crm__activities': 'crm_activities'} -%}

with

{% for model, name in imported.items() %}
    {{ name }} as (

        select * from {{ ref(model) }}

    ),
{% endfor %}

{% for source_table, model, key, detail in staged %}
    {{ model }} as (

        select
            '{{ source_table }}' as source_table,
            {{ key }} as record_key,
            'row' as quarantine_level,
            'staging' as quarantine_stage,
            quarantine_reason,
            cast({{ detail }} as {{ dbt.type_string() }}) as detail
        from {{ imported.get(model) or ref(model) }}
        where quarantine_reason is not null

    ),
{% endfor %}

value_issues as (

    select
        'crm_leads' as source_table,
        lead_id as record_key,
        'value' as quarantine_level,
        'staging' as quarantine_stage,
        'malformed_email' as quarantine_reason,
        email as detail
    from crm_leads
    where quarantine_reason is null and has_malformed_email

    union all

    select
        'crm_leads' as source_table,
        lead_id as record_key,
        'value' as quarantine_level,
        'staging' as quarantine_stage,
        'negative_employee_count' as quarantine_reason,
        cast(null as {{ dbt.type_string() }}) as detail
    from crm_leads
    where quarantine_reason is null and has_negative_employee_count

    union all

    select
        'crm_accounts' as source_table,
        account_id as record_key,
        'value' as quarantine_level,
        'staging' as quarantine_stage,
        'negative_employee_count' as quarantine_reason,
        cast(null as {{ dbt.type_string() }}) as detail
    from {{ ref('stg_crm__accounts') }}
    where quarantine_reason is null and has_negative_employee_count

),

known_leads as (

    select lead_id from crm_leads
    where quarantine_reason is null

),

unknown_lead_activity as (

    select
        'web_events' as source_table,
        event_id as record_key,
        lead_id
    from {{ ref('int_web_events_stitched') }}
    where lead_id is not null

    union all

    select
        'email_events' as source_table,
        event_id as record_key,
        lead_id
    from {{ ref('stg_email__events') }}
    where quarantine_reason is null

    union all

    select
        'activities' as source_table,
        activity_id as record_key,
        lead_id
    from crm_activities
    where quarantine_reason is null

),

stream_issues as (

    select
        unknown_lead_activity.source_table,
        unknown_lead_activity.record_key,
        'row' as quarantine_level,
        'stream' as quarantine_stage,
        'unknown_lead' as quarantine_reason,
        unknown_lead_activity.lead_id as detail
    from unknown_lead_activity
    left join known_leads
        on unknown_lead_activity.lead_id = known_leads.lead_id
    where known_leads.lead_id is null

),

unioned as (

    {% for _, model, _, _ in staged %}
        select * from {{ model }}
        union all
    {% endfor %}
    select * from value_issues
    union all
    select * from stream_issues

),

numbered as (

    -- Identical rows (three copies of one key give two identical duplicate_key
    -- rows) are told apart by their number, so every row has its own id.
    select
        *,
        row_number() over (
            partition by
                source_table, record_key, quarantine_level, quarantine_stage,
                quarantine_reason, detail
            order by source_table
        ) as occurrence
    from unioned

),

final as (

    select
        -- ids
        {{ dbt.hash(dbt.concat([
            'source_table', "'|'", "coalesce(record_key, '')", "'|'", 'quarantine_level',
            "'|'", 'quarantine_stage', "'|'", 'quarantine_reason', "'|'",
            "coalesce(detail, '')", "'|'",
            "cast(occurrence as " ~ dbt.type_string() ~ ")"])) }} as quarantine_id,

        -- strings
        source_table,
        record_key,
        quarantine_level,
        quarantine_stage,
        quarantine_reason,
        detail,

        -- dates
        {{ score_date() }} as score_date

    from numbered

)

select * from final
