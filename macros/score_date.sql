{#- The day scores are computed "as of", as a SQL date literal.
    Taken from var score_date, else the environment variable
    LEAD_SCORING_SCORE_DATE (YYYY-MM-DD); defaults to the run's UTC date. -#}
{% macro score_date() -%}
    {%- set value = lead_scoring.score_date_value() -%}
    {%- if value is none -%}
        {%- set value = run_started_at.strftime('%Y-%m-%d') -%}
    {%- endif -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', value | string) -%}
        {{ exceptions.raise_compiler_error(
            "score_date must be a date as YYYY-MM-DD, got '" ~ value ~ "'") }}
    {%- endif -%}
    cast('{{ value }}' as date)
{%- endmacro %}

{#- The chosen score date as text, or none: var score_date, else the
    environment variable LEAD_SCORING_SCORE_DATE (run_setting: a new date each
    day keeps dbt's partial parsing). -#}
{% macro score_date_value() -%}
    {{ return(lead_scoring.run_setting('score_date', 'LEAD_SCORING_SCORE_DATE')) }}
{%- endmacro %}
