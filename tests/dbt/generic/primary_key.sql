{#- Fails for every key that is null in some column or occurs more than once:
    a model's primary key, on one column (a column's test) or on several
    (columns). One query where dbt's unique and not_null take two. -#}
{% test primary_key(model, column_name=none, columns=none) %}
{%- set key = columns if columns else [column_name] -%}

select
    {{ key | join(', ') }},
    count(*) as row_count
from {{ model }}
group by {{ key | join(', ') }}
having
    count(*) > 1
    {%- for column in key %}
    or {{ column }} is null
    {%- endfor %}

{% endtest %}
