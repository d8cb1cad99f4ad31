{#- The staging models of the large event sources (web and email events) are
    landed: incremental tables that keep every raw row once, so a daily run
    types and checks only what arrived instead of every raw row again.
    A raw table may be a full snapshot without a load timestamp, so what
    arrived is found by key: a run lands every raw row of a key whose raw
    copies outnumber its landed ones (a new event, a late event, a new copy of
    an event) and re-lands keys landed as future_timestamp (usable once their
    day comes). A landed key's rows are replaced whole (delete+insert on
    landing_key), so key_occurrence numbers all of its copies as a full build
    does.
    Counting every key's copies reads every key twice (raw and landed), so
    keys are counted only on the days that changed: per day of the event
    timestamp (unparseable and missing ones on one day of their own), raw
    and landed rows are compared by row count and by the sum of their keys'
    hashes, and only the keys with a row on a day that differs are counted.
    Rows that vanish from a raw snapshot stay landed until a full refresh. -#}

{#- SQL condition on the rows of raw_relation: true where the row belongs to
    this run's batch (always true on a full build). key_column and
    timestamp_column name the raw columns; the landed table holds them typed
    under the same names, with landing_key. -#}
{% macro is_to_land(raw_relation, key_column, timestamp_column) -%}
    {%- if is_incremental() -%}
        {%- set raw_key = lead_scoring.landing_key(key_column) -%}
        {%- set raw_day = lead_scoring.landing_day(
            dbt.safe_cast(timestamp_column, 'timestamp')) -%}
        {%- set landed_day = lead_scoring.landing_day(timestamp_column) -%}
        {{ raw_key }} in (
            with

            raw_days as (

                select
                    {{ raw_day }} as landing_day,
                    count(*) as row_count,
                    sum({{ lead_scoring.key_hash(raw_key) }}) as key_sum
                from {{ raw_relation }}
                group by 1

            ),

            landed_days as (

                select
                    {{ landed_day }} as landing_day,
                    count(*) as row_count,
                    sum({{ lead_scoring.key_hash('landing_key') }}) as key_sum
                from {{ this }}
                group by 1

            ),

            changed_days as (

                select coalesce(raw_days.landing_day, landed_days.landing_day) as landing_day
                from raw_days
                full outer join landed_days
                    on raw_days.landing_day = landed_days.landing_day
                where
                    raw_days.row_count is distinct from landed_days.row_count
                    or raw_days.key_sum is distinct from landed_days.key_sum

            ),

            candidate_keys as (

                select {{ raw_key }} as landing_key
                from {{ raw_relation }}
                where {{ raw_day }} in (select changed_days.landing_day from changed_days)

                union

                select landing_key
                from {{ this }}
                where
                    {{ landed_day }} in (select changed_days.landing_day from changed_days)
                    or quarantine_reason = 'future_timestamp'

            ),

            copies as (

                select
                    {{ raw_key }} as landing_key,
                    1 as raw_rows,
                    0 as landed_rows,
                    0 as future_rows
                from {{ raw_relation }}
                where {{ raw_key }} in (select candidate_keys.landing_key from candidate_keys)

                union all

                select
                    landing_key,
                    0 as raw_rows,
                    1 as landed_rows,
                    case
                        when quarantine_reason = 'future_timestamp' then 1 else 0
                    end as future_rows
                from {{ this }}
                where landing_key in (select candidate_keys.landing_key from candidate_keys)

            )

            select copies.landing_key
            from copies
            group by copies.landing_key
            having
                sum(copies.raw_rows) > sum(copies.landed_rows)
                or (sum(copies.future_rows) > 0 and sum(copies.raw_rows) > 0)
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
