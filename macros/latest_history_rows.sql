{#- SQL: per key (a lead, or a lead and scoring model), its row of a history
    table (one row per key and score_date) at the latest score_date on or
    before cutoff.
    Usually that is the latest run's date on or before cutoff, for every
    key: only that date is read. Keys missing from it (a lead absent from
    that run) fall back to their own latest earlier date. No window over the
    whole history, which grows with every run.
    history: the relation; cutoff: SQL date expression; columns: the columns
    to return (keys included): a list, or a mapping of name to SQL type for a
    model reading its own history (`this`), which on a full build has none
    yet: no row then; keys: the columns a row is per. -#}
{% macro latest_history_rows(history, cutoff, columns, keys=['lead_id']) -%}
    {%- if columns is mapping and not is_incremental() -%}
    select
        {%- for column, type in columns.items() %}
        cast(null as {{ type }}) as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from (select 1 as no_history) as no_history
    where 1 = 0
    {%- else -%}
    {%- set last_run_date -%}
        (
            select max(last_run.score_date)
            from {{ history }} as last_run
            where last_run.score_date <= {{ cutoff }}
        )
    {%- endset -%}
    select {{ columns | list | join(', ') }}
    from {{ history }}
    where score_date = {{ last_run_date }}

    union all

    select {% for column in columns %}earlier.{{ column }}{% if not loop.last %}, {% endif %}{% endfor %}
    from {{ history }} as earlier
    inner join (
        select
            {% for key in keys %}missed.{{ key }}, {% endfor %}
            max(missed.score_date) as score_date
        from {{ history }} as missed
        where
            missed.score_date < {{ last_run_date }}
            and not exists (
                select 1
                from {{ history }} as in_last_run
                where
                    in_last_run.score_date = {{ last_run_date }}
                    {%- for key in keys %}
                    and in_last_run.{{ key }} = missed.{{ key }}
                    {%- endfor %}
            )
        group by {% for key in keys %}missed.{{ key }}{% if not loop.last %}, {% endif %}{% endfor %}
    ) as latest_earlier
        on
            {% for key in keys %}earlier.{{ key }} = latest_earlier.{{ key }}
            and {% endfor %}earlier.score_date = latest_earlier.score_date
    {%- endif -%}
{%- endmacro %}
