{#- measure values of a group joined by delimiter (SQL string literal) in the
    order of the order_by expressions (a list of SQL expressions, ascending;
    ties broken by the measure); with limit, only the first limit values;
    with condition (SQL), only the rows where it holds (the others give null).
    dbt.listagg ignores the order on Spark; there the values are collected as
    structs, sorted and joined. On DuckDB the first few are kept with min_by,
    which holds limit values per group instead of sorting every group. -#}
{% macro ordered_listagg(measure, delimiter, order_by, limit=none, condition=none) -%}
    {{ return(adapter.dispatch('ordered_listagg', 'lead_scoring')(
        measure, delimiter, order_by, limit, condition)) }}
{%- endmacro %}

{% macro default__ordered_listagg(measure, delimiter, order_by, limit=none, condition=none) -%}
    {%- if limit is none -%}
        {%- if condition is not none -%}
            {{ exceptions.raise_compiler_error('ordered_listagg: condition needs limit') }}
        {%- endif -%}
        {{ dbt.listagg(measure, delimiter, 'order by ' ~ (order_by + [measure]) | join(', ')) }}
    {%- else -%}
        array_to_string(
            (array_agg({{ measure }} order by {{ (order_by + [measure]) | join(', ') }})
                {{- lead_scoring.aggregate_filter(condition) }})[1:{{ limit }}],
            {{ delimiter }}
        )
    {%- endif -%}
{%- endmacro %}

{% macro duckdb__ordered_listagg(measure, delimiter, order_by, limit=none, condition=none) -%}
    {%- if limit is none -%}
        {{ lead_scoring.default__ordered_listagg(measure, delimiter, order_by, condition=condition) }}
    {%- else -%}
        array_to_string(
            min_by({{ measure }}, struct_pack(
                {%- for expression in order_by %}
                k{{ loop.index }} := {{ expression }},
                {%- endfor %}
                v := {{ measure }}), {{ limit }}){{ lead_scoring.aggregate_filter(condition) }},
            {{ delimiter }}
        )
    {%- endif -%}
{%- endmacro %}

{% macro spark__ordered_listagg(measure, delimiter, order_by, limit=none, condition=none) -%}
    array_join(
        {%- if limit is not none %} slice({% endif %}
        transform(
            array_sort(collect_list(named_struct(
                {%- for expression in order_by %}
                'k{{ loop.index }}', {{ expression }},
                {%- endfor %}
                'v', {{ measure }})){{ lead_scoring.aggregate_filter(condition) }}),
            sorted -> sorted.v
        )
        {%- if limit is not none %}, 1, {{ limit }}){% endif %},
        {{ delimiter }}
    )
{%- endmacro %}

{% macro aggregate_filter(condition) -%}
    {%- if condition is not none %} filter (where {{ condition }}){% endif -%}
{%- endmacro %}
