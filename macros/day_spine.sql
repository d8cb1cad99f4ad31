{#- One row per day from start_date up to, not including, end_date (SQL date
    expressions), as date_day: dbt's date_spine, except on Spark, where its
    cross joins of powers of two took 10 s for 11 years of days; sequence()
    makes the same days at once. -#}
{% macro day_spine(start_date, end_date) -%}
    {{ return(adapter.dispatch('day_spine', 'lead_scoring')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__day_spine(start_date, end_date) -%}
    {{ return(dbt.date_spine('day', start_date, end_date)) }}
{%- endmacro %}

{% macro spark__day_spine(start_date, end_date) -%}
    select explode(
        sequence({{ start_date }}, date_sub({{ end_date }}, 1), interval 1 day)
    ) as date_day
{%- endmacro %}
