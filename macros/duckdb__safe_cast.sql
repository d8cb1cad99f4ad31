{#- DuckDB: a value that cannot be cast becomes null instead of failing the
    whole run, so the row can be quarantined with a reason downstream. -#}
{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}
