{#- sum() of a floating-point expression added up as a fixed-precision decimal
    (15 decimals, or `decimals`), so the total does not depend on the order the
    engine adds in: a rerun gives the same bits. Returned as a double. Values a
    person typed (rule points) add up to what they typed with 9 decimals: 8.2
    as a double is 8.199999999999999 at 15. -#}
{% macro order_independent_sum(expression, decimals=15) -%}
    cast(
        sum(cast({{ expression }} as numeric(30, {{ decimals }})))
        as {{ lead_scoring.type_double() }}
    )
{%- endmacro %}
