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

{#- A signed 64-bit integer standing for a text id (an activity id), for the
    event-grain tables to join, sort and store instead of the text (at 1M
    leads, the caps took 15.0 s with it against 19.7 s with the text). It is
    computed once, when the activities stream first loads a row, and copied
    on: a stored row keeps its key when loaded again (a moved row), so an
    engine whose hash function changes between versions gives new keys to
    new rows only. Two ids share
    a key with probability about n^2 / 2^64 (5e-5 at 30M activities): the
    stream's one_row_per_key test fails then (README, Incremental daily
    runs). -#}
{% macro text_key(text) -%}
    {{ return(adapter.dispatch('text_key', 'lead_scoring')(text)) }}
{%- endmacro %}

{% macro default__text_key(text) -%}
    hash({{ text }})
{%- endmacro %}

{% macro duckdb__text_key(text) -%}
    cast(hash({{ text }}) >> 1 as bigint)
{%- endmacro %}

{% macro postgres__text_key(text) -%}
    hashtextextended({{ text }}, 0)
{%- endmacro %}

{% macro spark__text_key(text) -%}
    xxhash64({{ text }})
{%- endmacro %}

{% macro bigquery__text_key(text) -%}
    farm_fingerprint({{ text }})
{%- endmacro %}
