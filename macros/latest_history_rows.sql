{#- SQL: per lead, its row of a history table (one row per lead and
    score_date) at the latest score_date on or before cutoff.
    Usually that is the latest run's date on or before cutoff, for every
    lead: only that date is read. Leads missing from it (a lead absent from
    that run) fall back to their own latest earlier date. No window over the
    whole history, which grows with every run.
    history: the relation; cutoff: SQL date expression; columns: the columns
    to return (list). -#}
{% macro latest_history_rows(history, cutoff, columns) -%}
    {%- set last_run_date -%}
        (
            select max(last_run.score_date)
            from {{ history }} as last_run
            where last_run.score_date <= {{ cutoff }}
        )
    {%- endset -%}
    select {{ columns | join(', ') }}
    from {{ history }}
    where score_date = {{ last_run_date }}

    union all

    select {% for column in columns %}earlier.{{ column }}{% if not loop.last %}, {% endif %}{% endfor %}
    from {{ history }} as earlier
    inner join (
        select
            missed.lead_id,
            max(missed.score_date) as score_date
        from {{ history }} as missed
        where
            missed.score_date < {{ last_run_date }}
            and missed.lead_id not in (
                select in_last_run.lead_id
                from {{ history }} as in_last_run
                where in_last_run.score_date = {{ last_run_date }}
            )
        group by missed.lead_id
    ) as latest_earlier
        on
            earlier.lead_id = latest_earlier.lead_id
            and earlier.score_date = latest_earlier.score_date
{%- endmacro %}
