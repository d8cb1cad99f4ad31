{#- A raw table to read in staging: the source, or when the table is absent
    (no file in var raw_path, no table in the raw schema) an empty select of
    its declared columns, so a warehouse without web tracking, email events,
    logged activities, accounts, opportunities or extra attributes still
    builds. crm_leads is required: its absence fails with a clear error. -#}
{% macro raw_table(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- if not execute or lead_scoring.raw_table_exists(relation, table_name) -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- if table_name == 'crm_leads' -%}
        {#- Compiling alone (docs, linters) goes on: only a run needs the rows. -#}
        {%- if flags.WHICH not in ('run', 'build') -%}
            {{ return(relation) }}
        {%- endif -%}
        {{ exceptions.raise_compiler_error(
            "raw table crm_leads not found (" ~ lead_scoring.raw_table_location(table_name)
            ~ "): it is the one raw table a build needs") }}
    {%- endif -%}
    {%- set node = graph.sources['source.' ~ project_name ~ '.' ~ source_name ~ '.' ~ table_name] -%}
    {%- set columns = node.columns.keys() | list -%}
    {%- if var('landing_loaded_at_column', none) -%}
        {%- do columns.append(var('landing_loaded_at_column')) -%}
    {%- endif -%}
    {%- set empty -%}
        (
            select
                {%- for column in columns %}
                    cast(null as {{ dbt.type_string() }}) as {{ column }}
                    {%- if not loop.last %},{% endif %}
                {%- endfor %}
            where 1 = 0
        )
    {%- endset -%}
    {{ return(empty) }}
{%- endmacro %}

{#- Is the raw table there? A file in var raw_path (DuckDB) or a table in the
    source's schema. -#}
{% macro raw_table_exists(relation, table_name) -%}
    {%- if var('raw_path', '') and target.type == 'duckdb' -%}
        {%- set found = run_query(
            "select count(*) from glob('" ~ lead_scoring.raw_table_location(table_name)
                | replace("'", "''") ~ "')") -%}
        {{ return(found.columns[0].values()[0] > 0) }}
    {%- endif -%}
    {{ return(adapter.get_relation(
        database=relation.database, schema=relation.schema,
        identifier=relation.identifier) is not none) }}
{%- endmacro %}

{#- Where the raw table is read from, for messages and the file check. -#}
{% macro raw_table_location(table_name) -%}
    {%- if var('raw_path', '') and target.type == 'duckdb' -%}
        {{ return(var('raw_path') ~ '/' ~ table_name ~ '.' ~ var('raw_format', 'parquet')) }}
    {%- endif -%}
    {{ return(var('raw_schema', 'raw') ~ '.' ~ table_name) }}
{%- endmacro %}
