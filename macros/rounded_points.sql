{#- SQL expression: points rounded to 2 decimals as a double, the form every
    BI-facing mart shows scores in (rounded as a decimal, so 0.125 -> 0.13 on
    every engine). -#}
{% macro rounded_points(points) -%}
    cast(
        round(cast({{ points }} as {{ dbt.type_numeric() }}), 2)
        as {{ lead_scoring.type_double() }}
    )
{%- endmacro %}
