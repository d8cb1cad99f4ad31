{#- Fails for every value of a hashed key (column_name) that stands for more
    than one row of whole_table: two ids sharing a key. When the test reads
    only the rows a run wrote (macros/test_scope.sql), their keys are still
    looked up in the whole table, where an older row may share one. -#}
{% test one_row_per_key(model, column_name, whole_table) %}

select
    whole.{{ column_name }},
    count(*) as row_count
from {{ whole_table }} as whole
{%- if (model | string) != (whole_table | string) %}
where whole.{{ column_name }} in (select {{ column_name }} from {{ model }})
{%- endif %}
group by whole.{{ column_name }}
having count(*) > 1

{% endtest %}
