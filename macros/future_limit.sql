{#- The latest believable timestamp, as a SQL timestamp literal: the later of
    the run's UTC date and score_date, plus var future_tolerance_days. Rows
    dated after it are quarantined as future_timestamp. -#}
{% macro future_limit() -%}
    {%- set run_day = run_started_at.strftime('%Y-%m-%d') -%}
    {%- set chosen = lead_scoring.score_date_value() -%}
    {%- set latest = [run_day, chosen] | select | max if chosen else run_day -%}
    {%- set limit_day = modules.datetime.datetime.strptime(latest, '%Y-%m-%d')
        + modules.datetime.timedelta(days=var('future_tolerance_days', 1) + 1) -%}
    cast('{{ limit_day.strftime("%Y-%m-%d") }} 00:00:00' as timestamp)
{%- endmacro %}
