{#- SELECT of the landing keys to land when there is no loader timestamp:
    keys whose raw copies outnumber their landed ones, counted on the days
    whose fingerprint changed, and keys landed as future_timestamp.
    key_column names the raw rows' key and the landed rows' typed key (as
    timestamp_column does the timestamps): landing_key and landed_key. -#}
{% macro keys_to_land_by_count(raw_relation, key_column, timestamp_column) -%}
    {%- set raw_key = lead_scoring.landing_key(key_column) -%}
    {%- set landed_key = lead_scoring.landed_key(key_column) -%}
    {%- set raw_day = lead_scoring.landing_day(
        lead_scoring.parse_timestamp(timestamp_column)) -%}
    {%- set landed_day = lead_scoring.landing_day(timestamp_column) -%}
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
            sum({{ lead_scoring.key_hash(landed_key) }}) as key_sum
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

        select {{ landed_key }} as landing_key
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
            {{ landed_key }} as landing_key,
            0 as raw_rows,
            1 as landed_rows,
            case
                when quarantine_reason = 'future_timestamp' then 1 else 0
            end as future_rows
        from {{ this }}
        where {{ landed_key }} in (select candidate_keys.landing_key from candidate_keys)

    )

    select copies.landing_key
    from copies
    group by copies.landing_key
    having
        sum(copies.raw_rows) > sum(copies.landed_rows)
        or (sum(copies.future_rows) > 0 and sum(copies.raw_rows) > 0)
{%- endmacro %}
