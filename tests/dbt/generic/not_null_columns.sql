{#- Fails for every row with a null in any of the columns (dbt's not_null on
    several columns of a model in one query; the failing rows show which). -#}
{% test not_null_columns(model, columns) %}

select {{ columns | join(', ') }}
from {{ model }}
where
    {%- for column in columns %}
    {{ 'or ' if not loop.first }}{{ column }} is null
    {%- endfor %}

{% endtest %}
