{#- SQL expression: points bounded to [-cap, cap]; unchanged when cap is null.
    An activity rule's max_points caps the size of its decayed total per lead,
    for negative rules too. -#}
{% macro capped(points, cap) -%}
    case
        when {{ cap }} is null then {{ points }}
        when {{ points }} > {{ cap }} then {{ cap }}
        when {{ points }} < -{{ cap }} then -{{ cap }}
        else {{ points }}
    end
{%- endmacro %}
