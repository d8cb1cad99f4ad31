{#- The staging models of the large event sources (web and email events) are
    landed: incremental tables that keep every raw row once, so a daily run
    types and checks only what arrived instead of every raw row again. A
    landed key's rows are replaced whole (delete+insert on the key, and
    replace_rows_without_key for the rows without one), so
    key_occurrence numbers all of its copies as a full build does, and keys
    landed as future_timestamp are landed again each run (usable once their
    day comes). What arrived is found in one of two ways:
    - with a loader timestamp (loaded_at_column() names the raw
      column, e.g. _loaded_at, _fivetran_synced, _airbyte_extracted_at): the
      rows delivered after the latest landed one (less var
      landing_lookback_hours), and rows without a timestamp, plus the other
      raw copies of their keys when a key is landed already (a redelivered
      event). The landed rows keep the timestamp as delivered_at.
    - without one (the default; raw tables may be full snapshots): by key. A
      run lands every raw row of a key whose raw copies outnumber its landed
      ones (a new, late or redelivered event). Counting every key's copies
      reads every key twice (raw and landed), so keys are counted only on the
      days that changed: per day of the event timestamp (unparseable and
      missing ones on one day of their own), raw and landed rows are compared
      by row count and by the sum of their keys' hashes, and only the keys
      with a row on a day that differs are counted.
    Rows that vanish from a raw snapshot stay landed until a full refresh. -#}

{#- SELECT of the raw rows this run lands (every row on a full build).
    key_column and timestamp_column name the raw columns; the landed table
    holds them typed under the same names, with delivered_at. -#}
{% macro rows_to_land(raw_relation, key_column, timestamp_column) -%}
    {%- set loaded_at_column = lead_scoring.loaded_at_column() -%}
    {%- set raw_key = lead_scoring.landing_key(key_column) -%}
    {%- set landed_key = lead_scoring.landed_key('landed.' ~ key_column) -%}
    {%- if not is_incremental() -%}
        select * from {{ raw_relation }}
    {%- elif loaded_at_column -%}
        {#- The watermark is read before the run's query (a constant lets the
            engine skip raw row groups or files delivered before it). -#}
        {%- set latest = none -%}
        {%- if execute and 'delivered_at' in lead_scoring.stored_columns() -%}
            {#- (a table landed before delivered_at existed lands all once) -#}
            {%- set latest = run_query(
                'select max(delivered_at) from ' ~ this).columns[0].values()[0] -%}
        {%- endif -%}
        {%- set watermark = dbt.dateadd(
            'hour', -1 * var('landing_lookback_hours', 0),
            "cast('" ~ (latest or '1900-01-01 00:00:00') ~ "' as "
            ~ dbt.type_timestamp() ~ ")") -%}
        {%- set delivered_at = lead_scoring.delivered_at(loaded_at_column) -%}
        {%- set is_delivered_since -%}
            ({{ delivered_at }} is null or {{ delivered_at }} > {{ watermark }})
        {%- endset -%}
        {%- set keys_to_land_again -%}
            select {{ landed_key }}
            from {{ this }} as landed
            where
                landed.quarantine_reason = 'future_timestamp'
                or {{ landed_key }} in (
                    select {{ raw_key }} from {{ raw_relation }}
                    where {{ is_delivered_since }}
                )
        {%- endset -%}
        {#- Counted first: the raw table is read again only when there are
            such keys (usually none; an engine may not skip the branch). -#}
        {%- set any_to_land_again = true -%}
        {%- if execute -%}
            {%- set any_to_land_again = run_query(
                'select count(*) from (' ~ keys_to_land_again ~ ') as keys_again'
            ).columns[0].values()[0] > 0 -%}
        {%- endif -%}
        select * from {{ raw_relation }}
        where {{ is_delivered_since }}
        {%- if any_to_land_again %}
        union all
        -- The other raw copies of keys landed already (a redelivered event)
        -- and of keys landed as future_timestamp.
        select * from {{ raw_relation }}
        where
            not {{ is_delivered_since }}
            and {{ raw_key }} in ({{ keys_to_land_again }})
        {%- endif %}
    {%- else -%}
        select * from {{ raw_relation }}
        where {{ raw_key }} in ({{ lead_scoring.keys_to_land_by_count(
            raw_relation, key_column, timestamp_column) }})
    {%- endif -%}
{%- endmacro %}
