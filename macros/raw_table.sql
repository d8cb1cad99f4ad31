{#- A raw table to read in staging: the source, or when the table is absent
    (no file in var raw_path, no table in the raw schema) an empty select of
    its declared columns, so a warehouse without web tracking, email events,
    logged activities, accounts, opportunities or extra attributes still
    builds. crm_leads is required: its absence fails with a clear error. -#}
{% macro raw_table(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- if not execute -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- if lead_scoring.raw_table_exists(relation, table_name) -%}
        {{ return(lead_scoring.raw_relation(relation)) }}
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
    {%- set loaded_at_column = lead_scoring.loaded_at_column() -%}
    {%- if loaded_at_column -%}
        {%- do columns.append(loaded_at_column) -%}
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

{#- Is the raw table there? A file in the raw folder (DuckDB) or a table in the
    source's schema. -#}
{% macro raw_table_exists(relation, table_name) -%}
    {%- if lead_scoring.raw_folder() -%}
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
    {%- set folder = lead_scoring.raw_folder() -%}
    {%- if folder -%}
        {{ return(folder.path ~ '/' ~ table_name ~ '.' ~ folder.format) }}
    {%- endif -%}
    {{ return(var('raw_schema', 'raw') ~ '.' ~ table_name) }}
{%- endmacro %}

{#- The folder of raw files on DuckDB, as {path, format}, or none (raw tables
    in the schema). Var raw_path (with var raw_format) when set, else, when
    executing, the environment variables LEAD_SCORING_RAW_PATH and
    LEAD_SCORING_RAW_FORMAT (default parquet). Like the score date, the
    environment is read only at execution, never while dbt parses: a run on
    another folder (each day's export in its own folder, a test's copy) keeps
    dbt's partial parsing. -#}
{% macro raw_folder() -%}
    {%- if target.type != 'duckdb' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if var('raw_path', '') -%}
        {{ return({'path': var('raw_path'), 'format': var('raw_format', 'parquet')}) }}
    {%- endif -%}
    {%- if execute and env_var('LEAD_SCORING_RAW_PATH', '') -%}
        {{ return({'path': env_var('LEAD_SCORING_RAW_PATH'),
                   'format': env_var('LEAD_SCORING_RAW_FORMAT', '') or 'parquet'}) }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}

{#- What a query reads for a raw source: its file in the raw folder (CSV as
    text), else the source relation itself. -#}
{% macro raw_relation(relation) -%}
    {%- set folder = lead_scoring.raw_folder() -%}
    {%- if not folder -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set file = (lead_scoring.raw_table_location(relation.identifier)) | replace("'", "''") -%}
    {%- if folder.format == 'csv' -%}
        {{ return("read_csv('" ~ file ~ "', header = true, all_varchar = true, delim = ',', "
                  ~ "quote = '\"', escape = '\"')") }}
    {%- endif -%}
    {{ return("read_parquet('" ~ file ~ "')") }}
{%- endmacro %}
