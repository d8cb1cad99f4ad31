{#- Source freshness judged as of the score date, not the wall clock: with
    var score_date set, the newest row on or before the end of that day is
    compared with the end of that day (a warehouse scored as of a past date is
    as fresh as its data was then); without it, with the current time as
    dbt does. Overrides dbt's default__collect_freshness for every engine. -#}
{% macro default__collect_freshness(source, loaded_at_field, filter) %}
    {%- if lead_scoring.score_date_value() -%}
        {%- set as_of = 'cast(' ~ dbt.dateadd('day', 1, lead_scoring.score_date())
            ~ ' as ' ~ dbt.type_timestamp() ~ ')' -%}
    {%- else -%}
        {%- set as_of = current_timestamp() -%}
    {%- endif -%}
    {% call statement('collect_freshness', fetch_result=True, auto_begin=False) -%}
        select
            max({{ loaded_at_field }}) as max_loaded_at,
            {{ as_of }} as snapshotted_at
        from {{ lead_scoring.raw_relation(source) }}
        where
            {{ loaded_at_field }} <= {{ as_of }}
            {%- if filter %}
                and ({{ filter }})
            {%- endif %}
    {%- endcall %}
    {{ return(load_result('collect_freshness')) }}
{% endmacro %}
