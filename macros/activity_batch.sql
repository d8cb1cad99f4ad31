{#- SELECT of the events of one source that an activity model reads this run
    (source web: the stitched web events; email: the usable landed email
    events): those (re)computed upstream in this run, every one on a full
    build. int_activities_unioned and int_activities_held_back read the same
    batch. -#}
{% macro activity_batch(source) -%}
    {%- if source == 'web' -%}
        select stitched.* from {{ ref('int_web_events_stitched') }} as stitched
        {%- if is_incremental() %}
        where {{ lead_scoring.loaded_this_run('stitched') }}
        {%- endif %}
    {%- elif source == 'email' -%}
        select landed.* from {{ ref('stg_email__events') }} as landed
        where
            landed.quarantine_reason is null
            {%- if is_incremental() %}
            and {{ lead_scoring.loaded_this_run('landed') }}
            {%- endif %}
    {%- else -%}
        {{ exceptions.raise_compiler_error("activity_batch: unknown source " ~ source) }}
    {%- endif -%}
{%- endmacro %}
