{#- SQL expression: a rating such as A85, the grade followed by the score
    rounded to a whole number (D-5 for a negative score). -#}
{% macro rating(grade, score) -%}
    {{ grade }} || cast(cast(round({{ score }}) as integer) as {{ dbt.type_string() }})
{%- endmacro %}
