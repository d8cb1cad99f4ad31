{#- SQL boolean: does an attribute satisfy a rule?
    operator, rule_value: columns (or expressions) of the rule, lower-cased text.
    attribute_value: the attribute as lower-cased text; attribute_number: the
    attribute as a number (null when not a number).
    Operators: eq, ne, in, not_in (values separated by |), between (low|high,
    inclusive), gt, gte, lt, lte, contains, regex, is_null. Used by profile
    rules and segment definitions, so both accept the same operators. -#}
{% macro rule_matches(operator, rule_value, attribute_value, attribute_number) -%}
    {%- set double = lead_scoring.type_double() -%}
    {%- set rule_number = 'cast(' ~ rule_value ~ ' as ' ~ double ~ ')' -%}
    {%- set listed = dbt.position(
        "'|' || " ~ attribute_value ~ " || '|'", "'|' || " ~ rule_value ~ " || '|'") -%}
    case {{ operator }}
        when 'eq' then {{ attribute_value }} = {{ rule_value }}
        when 'ne' then {{ attribute_value }} <> {{ rule_value }}
        when 'in' then {{ listed }} > 0
        when 'not_in' then {{ listed }} = 0
        when 'contains' then {{ dbt.position(rule_value, attribute_value) }} > 0
        when 'regex' then {{ lead_scoring.regex_matches(attribute_value, rule_value) }}
        when 'gt' then {{ attribute_number }} > {{ rule_number }}
        when 'gte' then {{ attribute_number }} >= {{ rule_number }}
        when 'lt' then {{ attribute_number }} < {{ rule_number }}
        when 'lte' then {{ attribute_number }} <= {{ rule_number }}
        when 'between' then {{ attribute_number }} between
            cast({{ dbt.split_part(rule_value, "'|'", 1) }} as {{ double }})
            and cast({{ dbt.split_part(rule_value, "'|'", 2) }} as {{ double }})
        when 'is_null' then {{ attribute_value }} is null
    end
{%- endmacro %}
