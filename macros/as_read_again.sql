{#- "as" of a CTE that only reads a stored table and is read more than once:
    "as not materialized" on DuckDB and Postgres, so the engine reads the
    table again for each use (with that use's filters) instead of holding a
    copy of every row (DuckDB materialises a CTE read twice); plain "as" on
    Spark, which has no such clause. -#}
{% macro as_read_again() -%}
    {%- if target.type in ('duckdb', 'postgres') -%}
        as not materialized
    {%- else -%}
        as
    {%- endif -%}
{%- endmacro %}
