{#- SELECT of the rows of relation (web events stitched, landed email events
    or CRM activities: source is web, email or crm) in the shape of the
    activities stream. activity_id is prefixed with its source so keys never
    collide; email event types are prefixed with email_. Used by the
    stream (activity_stream_batch) and int_activities_held_back, which must
    agree. -#}
{% macro activity_stream_select(source, relation) -%}
    {%- set no_string = 'cast(null as ' ~ dbt.type_string() ~ ')' -%}
    select
        '{{ source }}:' || {{ 'activity_id' if source == 'crm' else 'event_id' }}
            as activity_id,
        lead_id,
        '{{ source }}' as activity_source,
        {% if source == 'web' -%}
            event_type as activity_type,
            page_url as url,
            user_agent,
            {{ no_string }} as campaign_id,
            is_stitched,
        {%- elif source == 'email' -%}
            'email_' || event_type as activity_type,
            link_url as url,
            {{ no_string }} as user_agent,
            campaign_id,
            false as is_stitched,
        {%- elif source == 'crm' -%}
            activity_type,
            {{ no_string }} as url,
            {{ no_string }} as user_agent,
            {{ no_string }} as campaign_id,
            false as is_stitched,
        {%- else -%}
            {{ exceptions.raise_compiler_error(
                "activity_stream_select: unknown source " ~ source) }}
        {%- endif %}
        occurred_at
    from {{ relation }}
{%- endmacro %}
