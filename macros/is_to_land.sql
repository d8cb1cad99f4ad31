{#- The staging models of the large event sources (web and email events) are
    landed: incremental tables that keep every raw row once, so a daily run
    types and checks only what arrived instead of every raw row again.
    A raw table may be a full snapshot without a load timestamp, so what
    arrived is found by key: a run lands every raw row of a key whose raw
    copies outnumber its landed ones (a new event, a late event, a new copy of
    an event) and re-lands keys landed as future_timestamp (usable once their
    day comes). A landed key's rows are replaced whole (delete+insert on
    landing_key), so key_occurrence numbers all of its copies as a full build
    does. Rows that later vanish from a raw snapshot stay landed until a full
    refresh. -#}

{#- SQL condition on the rows of raw_relation: true where the row belongs to
    this run's batch (always true on a full build). -#}
{% macro is_to_land(raw_relation, key_column) -%}
    {%- if is_incremental() -%}
        {{ lead_scoring.landing_key(key_column) }} in (
            select copies.landing_key
            from (
                select
                    {{ lead_scoring.landing_key(key_column) }} as landing_key,
                    1 as raw_rows,
                    0 as landed_rows,
                    0 as future_rows
                from {{ raw_relation }}
                union all
                select
                    landing_key,
                    0 as raw_rows,
                    1 as landed_rows,
                    case
                        when quarantine_reason = 'future_timestamp' then 1 else 0
                    end as future_rows
                from {{ this }}
            ) as copies
            group by copies.landing_key
            having
                sum(copies.raw_rows) > sum(copies.landed_rows)
                or (sum(copies.future_rows) > 0 and sum(copies.raw_rows) > 0)
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
