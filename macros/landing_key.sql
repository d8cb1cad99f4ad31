{#- The landing key of a raw row: its key as text, '' when missing (missing
    keys land too, as missing_key rows). -#}
{% macro landing_key(key_column) -%}
    coalesce(trim(cast({{ key_column }} as {{ dbt.type_string() }})), '')
{%- endmacro %}

{#- The landing key of a landed row, from its typed key column (text,
    trimmed when landed): '' when missing, as landing_key gives. The landed
    table does not store it (at 1M leads the copy of the web events' key
    took 2.3 s of a full build's 15 s). -#}
{% macro landed_key(key_column) -%}
    coalesce({{ key_column }}, '')
{%- endmacro %}

{#- Hooks of a landed staging model, which delete+inserts on its key column:
    the pre-hook drops the landing_key column an older build stored; the
    post-hook replaces the rows of a missing key ('' or null: one landing
    key, landed whole), which delete+insert cannot match on null: when the
    run landed rows without a key, the older ones go. -#}
{% macro drop_stored_landing_key() -%}
    {%- if is_incremental() and execute and 'landing_key' in lead_scoring.stored_columns() -%}
        alter table {{ this }} drop column landing_key
    {%- endif -%}
{%- endmacro %}

{% macro replace_rows_without_key(key_column) -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where
            {{ key_column }} is null
            and loaded_run <> '{{ invocation_id }}'
            and exists (
                select 1 from {{ this }} as landed
                where landed.{{ key_column }} is null and landed.loaded_run = '{{ invocation_id }}'
            )
    {%- endif -%}
{%- endmacro %}
