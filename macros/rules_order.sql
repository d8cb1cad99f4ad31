{#- The order the rules put leads in (score_rank): the grade x engagement
    cell's priority, then behaviour score, fit points and lead_id, over
    columns of those names. predictive.rules_order_sql writes it in Python. -#}
{% macro rules_order() -%}
    matrix_priority asc, behaviour_score desc, fit_points desc, lead_id asc
{%- endmacro %}
