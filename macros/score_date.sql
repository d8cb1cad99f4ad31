{#- The day scores are computed "as of", as a SQL date literal.
    Taken from var('score_date') (YYYY-MM-DD); defaults to the run's UTC date. -#}
{% macro score_date() -%}
    {%- set value = var('score_date', none) -%}
    {%- if value is none or value == '' -%}
        {%- set value = run_started_at.strftime('%Y-%m-%d') -%}
    {%- endif -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', value | string) -%}
        {{ exceptions.raise_compiler_error(
            "var score_date must be a date as YYYY-MM-DD, got '" ~ value ~ "'") }}
    {%- endif -%}
    cast('{{ value }}' as date)
{%- endmacro %}
