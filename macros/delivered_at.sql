{#- The raw column of the loader timestamp, typed (null without one). -#}
{% macro delivered_at(loaded_at_column=none) -%}
    {%- set loaded_at_column = loaded_at_column or lead_scoring.loaded_at_column() -%}
    {%- if loaded_at_column -%}
        {{ dbt.safe_cast(loaded_at_column, dbt.type_timestamp()) }}
    {%- else -%}
        cast(null as {{ dbt.type_timestamp() }})
    {%- endif -%}
{%- endmacro %}
