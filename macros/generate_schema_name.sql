{#- Use the configured schema name as is (staging, intermediate, marts, rules,
    reference) instead of prefixing it with the target schema, so BI tools and
    analysts see the same schema names on every engine. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
