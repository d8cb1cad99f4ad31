{#- A 64-bit hash (md5 on Postgres) of a whole row of relation_alias (a
    table or CTE in the FROM clause) and of the SQL expression also: a
    change in any column changes it. int_lead_profile_fingerprints keeps it
    to tell which leads' profiles changed. -#}
{% macro row_fingerprint(relation_alias, also) -%}
    {{ return(adapter.dispatch('row_fingerprint', 'lead_scoring')(relation_alias, also)) }}
{%- endmacro %}

{% macro default__row_fingerprint(relation_alias, also) -%}
    hash({{ relation_alias }}, {{ also }})
{%- endmacro %}

{% macro postgres__row_fingerprint(relation_alias, also) -%}
    md5(cast({{ relation_alias }} as text) || '|' || coalesce(cast({{ also }} as text), ''))
{%- endmacro %}

{% macro spark__row_fingerprint(relation_alias, also) -%}
    xxhash64(to_json(struct({{ relation_alias }}.*)), {{ also }})
{%- endmacro %}
