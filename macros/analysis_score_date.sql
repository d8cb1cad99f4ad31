{#- The score date an analysis reports on: var score_date when given, else the
    latest score date in the marts (not today: a warehouse scored yesterday
    still answers). -#}
{% macro analysis_score_date() -%}
    {%- if lead_scoring.score_date_value() -%}
        {{ lead_scoring.score_date() }}
    {%- else -%}
        (select max(score_date) from {{ lead_scoring.mart('lead_scores') }})
    {%- endif -%}
{%- endmacro %}

{#- A mart as analyses name it: schema and table without the database, so a
    compiled analysis runs on the warehouse and on the published BI file
    alike (DuckDB names a file's catalog after the file). -#}
{% macro mart(name) -%}
    {{ return(ref(name).include(database=false)) }}
{%- endmacro %}
