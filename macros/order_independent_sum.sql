{#- sum() of a floating-point expression added up as a fixed-precision decimal
    (15 decimals), so the total does not depend on the order the engine adds
    in: a rerun gives the same bits. Returned as a double. -#}
{% macro order_independent_sum(expression) -%}
    cast(sum(cast({{ expression }} as numeric(30, 15))) as {{ lead_scoring.type_double() }})
{%- endmacro %}
