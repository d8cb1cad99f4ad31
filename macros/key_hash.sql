{#- A 64-bit (32-bit on Postgres) hash of a text expression, summed into the
    per-day fingerprints of landed staging (keys_to_land_by_count). -#}
{% macro key_hash(text) -%}
    {{ return(adapter.dispatch('key_hash', 'lead_scoring')(text)) }}
{%- endmacro %}

{% macro default__key_hash(text) -%}
    hash({{ text }})
{%- endmacro %}

{% macro postgres__key_hash(text) -%}
    hashtext({{ text }})
{%- endmacro %}

{% macro bigquery__key_hash(text) -%}
    farm_fingerprint({{ text }})
{%- endmacro %}
