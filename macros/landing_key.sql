{#- The landing key of a raw row: its key as text, '' when missing (missing
    keys land too, as missing_key rows). -#}
{% macro landing_key(key_column) -%}
    coalesce(trim(cast({{ key_column }} as {{ dbt.type_string() }})), '')
{%- endmacro %}
