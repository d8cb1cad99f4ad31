{#- Registers raw files as the raw tables on engines that read files in place
    (Spark): one table per source table, named after it, reading
    <path>/<table>.<file_format>. CSV files are read with a header and every
    column as text, as an export would land them; staging types them.
    dbt run-operation create_raw_tables --args '{path: /data/raw, file_format: csv}' -#}
{% macro create_raw_tables(path, file_format='parquet') -%}
    {%- set schema = var('raw_schema', 'raw') -%}
    {%- do run_query('create schema if not exists ' ~ schema) -%}
    {%- for source in graph.sources.values() if source.package_name == 'lead_scoring' -%}
        {%- set table = schema ~ '.' ~ source.identifier -%}
        {%- set location = path ~ '/' ~ source.identifier ~ '.' ~ file_format -%}
        {%- do run_query('drop table if exists ' ~ table) -%}
        {%- if file_format == 'csv' -%}
            {%- do run_query("create table " ~ table ~ " using csv options (path '"
                ~ location ~ "', header 'true', multiLine 'true', escape '\"')") -%}
        {%- else -%}
            {%- do run_query("create table " ~ table ~ " using " ~ file_format
                ~ " options (path '" ~ location ~ "')") -%}
        {%- endif -%}
        {%- do log('raw table ' ~ table ~ ' reads ' ~ location, info=true) -%}
    {%- endfor -%}
{%- endmacro %}
