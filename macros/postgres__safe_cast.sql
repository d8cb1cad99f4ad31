{#- PostgreSQL has no try_cast: cast only values that look like the target
    type, so a bad value becomes null (and its row is quarantined) instead of
    failing the run. -#}
{% macro postgres__safe_cast(field, type) -%}
    {%- set kind = type | lower -%}
    {%- if kind.startswith('timestamp') or kind == 'date' -%}
        {%- set pattern = '^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)?([+-][0-9:]+|Z)?$' -%}
    {%- elif kind in ['bigint', 'integer', 'int', 'smallint'] -%}
        {%- set pattern = '^ *-?[0-9]+ *$' -%}
    {%- elif kind.startswith('double') or kind.startswith('float') or kind.startswith('numeric') -%}
        {%- set pattern = '^ *-?[0-9]+([.][0-9]*)?([eE][-+]?[0-9]+)? *$' -%}
    {%- elif kind.startswith('bool') -%}
        {%- set pattern = '^ *(true|false|t|f|yes|no|1|0) *$' -%}
    {%- else -%}
        {%- set pattern = none -%}
    {%- endif -%}
    {%- if pattern -%}
        case
            when cast({{ field }} as text) ~* '{{ pattern }}'
                then cast(cast({{ field }} as text) as {{ type }})
        end
    {%- else -%}
        cast({{ field }} as {{ type }})
    {%- endif -%}
{%- endmacro %}
