{#- Everything that could not be used as delivered, with the reason, so
    nothing is lost silently. quarantine_level row: the row is left out
    (missing or duplicate key, unparseable, missing or future timestamp,
    unknown event type, missing or unknown lead: int_activities_orphaned).
    value: the row is used but one value is not (a malformed email makes the
    lead a clean-up candidate; a negative head count is treated as unknown).
    quarantine_stage says where it was caught: staging (one raw table) or
    stream (the activities stream). -#}
{%- set staged = [
    ('crm_leads', 'stg_crm__leads', 'lead_id', 'email'),
    ('crm_accounts', 'stg_crm__accounts', 'account_id', 'account_name'),
    ('crm_opportunities', 'stg_crm__opportunities', 'opportunity_id', 'stage'),
    ('crm_lead_attributes', 'stg_crm__lead_attributes', 'lead_id', 'attribute'),
    ('activities', 'stg_crm__activities', 'activity_id', 'activity_type'),
    ('web_events', 'stg_web__events', 'event_id', 'event_type'),
    ('email_events', 'stg_email__events', 'event_id', 'event_type'),
] -%}
{#- Values that are not used, on rows that are: (source table, relation,
    key, reason, flag column, detail). -#}
{%- set value_checks = [
    ('crm_leads', ref('stg_crm__leads'), 'lead_id', 'malformed_email', 'has_malformed_email',
     'email'),
    ('crm_leads', ref('stg_crm__leads'), 'lead_id', 'negative_employee_count',
     'has_negative_employee_count', 'null'),
    ('crm_accounts', ref('stg_crm__accounts'), 'account_id', 'negative_employee_count',
     'has_negative_employee_count', 'null'),
] -%}
with

{% for source_table, model, key, detail in staged %}
    {{ model }} as (

        select
            '{{ source_table }}' as source_table,
            {{ key }} as record_key,
            'row' as quarantine_level,
            'staging' as quarantine_stage,
            quarantine_reason,
            cast({{ detail }} as {{ dbt.type_string() }}) as detail
        from {{ ref(model) }}
        where quarantine_reason is not null

    ),
{% endfor %}

value_issues as (

    {% for source_table, relation, key, reason, flag, detail in value_checks %}
        select
            '{{ source_table }}' as source_table,
            {{ key }} as record_key,
            'value' as quarantine_level,
            'staging' as quarantine_stage,
            '{{ reason }}' as quarantine_reason,
            cast({{ detail }} as {{ dbt.type_string() }}) as detail
        from {{ relation }}
        where quarantine_reason is null and {{ flag }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

stream_issues as (

    select
        source_table,
        record_key,
        'row' as quarantine_level,
        'stream' as quarantine_stage,
        'unknown_lead' as quarantine_reason,
        lead_id as detail
    from {{ ref('int_activities_orphaned') }}

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
