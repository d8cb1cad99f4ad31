{#- The day a landed row is fingerprinted under (keys_to_land_by_count): the date of its
    typed timestamp, 1900-01-01 for a missing or unparseable one. -#}
{% macro landing_day(timestamp) -%}
    coalesce(cast({{ timestamp }} as date), cast('1900-01-01' as date))
{%- endmacro %}
