{#- on-run-end: let the BI roles (var bi_reader_roles) use the marts schema.
    dbt's grants config gives them SELECT on each mart; the schema needs
    USAGE too. Nothing is granted upstream, so BI roles see only the marts.
    DuckDB has no roles: nothing to do there. -#}
{% macro grant_mart_usage() -%}
    {%- if target.type in ['postgres', 'redshift', 'snowflake']
        and var('bi_reader_roles', []) | length > 0 -%}
        {%- for role in var('bi_reader_roles') -%}
            grant usage on schema marts to {{ role }};
        {%- endfor -%}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
