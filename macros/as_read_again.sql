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

{#- "as" of a CTE that computes a view once for several uses: "as
    materialized" on DuckDB and Postgres; plain "as" on Spark, where the
    model it reads is a table. -#}
{% macro as_computed_once() -%}
    {%- if target.type in ('duckdb', 'postgres') -%}
        as materialized
    {%- else -%}
        as
    {%- endif -%}
{%- endmacro %}
