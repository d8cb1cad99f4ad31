{#- The raw column of the loader timestamp, or none: var
    landing_loaded_at_column, else (when executing) the environment variable
    LEAD_SCORING_LOADED_AT_COLUMN, which the CLI sets for --loaded-at-column.
    Read only at execution, like the score date: switching between finding
    arrivals by key and by loader timestamp keeps dbt's partial parse (a
    changed var makes dbt parse the whole project again). -#}
{% macro loaded_at_column() -%}
    {%- set value = var('landing_loaded_at_column', none) -%}
    {%- if (value is none or value == '') and execute -%}
        {%- set value = env_var('LEAD_SCORING_LOADED_AT_COLUMN', '') -%}
    {%- endif -%}
    {{ return(value if value else none) }}
{%- endmacro %}
