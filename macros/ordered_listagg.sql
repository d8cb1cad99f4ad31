{#- measure values of a group joined by delimiter (SQL string literal) in the
    order of the order_by expressions (a list of SQL expressions; ties broken
    by the measure). dbt.listagg ignores the order on Spark; there the values
    are collected as structs, sorted and joined. -#}
{% macro ordered_listagg(measure, delimiter, order_by) -%}
    {{ return(adapter.dispatch('ordered_listagg', 'lead_scoring')(measure, delimiter, order_by)) }}
{%- endmacro %}

{% macro default__ordered_listagg(measure, delimiter, order_by) -%}
    {{ dbt.listagg(measure, delimiter, 'order by ' ~ (order_by + [measure]) | join(', ')) }}
{%- endmacro %}

{% macro spark__ordered_listagg(measure, delimiter, order_by) -%}
    array_join(
        transform(
            array_sort(collect_list(named_struct(
                {%- for expression in order_by %}
                'k{{ loop.index }}', {{ expression }},
                {%- endfor %}
                'v', {{ measure }}))),
            sorted -> sorted.v
        ),
        {{ delimiter }}
    )
{%- endmacro %}
