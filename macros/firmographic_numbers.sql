{#- The company size columns of a CRM lead or account row, typed
    (macros/parse_values.sql): employee_count (null when negative, flagged),
    annual_revenue, and whether either held text that is not a number. -#}
{% macro firmographic_numbers() -%}
    {%- set employees = lead_scoring.parse_number('employee_count', 'bigint') -%}
    {%- set revenue = lead_scoring.parse_number('annual_revenue', lead_scoring.type_double()) -%}
    case when {{ employees }} >= 0 then {{ employees }} end as employee_count,
    coalesce({{ employees }} < 0, false) as has_negative_employee_count,
    {{ revenue }} as annual_revenue,
    (
        {{ lead_scoring.is_unreadable('employee_count', employees) }}
        or {{ lead_scoring.is_unreadable('annual_revenue', revenue) }}
    ) as has_unreadable_number
{%- endmacro %}
