{#- SELECT of every row of `relation` (a CTE) with key_copies, how many of
    its rows share the row's key, and key_occurrence, the row's place among
    them in `order_by` (1 for a key's only row). Only the keys with several
    rows are ordered: counting needs no sort, and ordering every key of 16M
    web events took 20.5 s to stage them against 15.9 s. It pays while
    duplicates are few: with a fifth of the rows in duplicated keys' copies
    it took 25.9 s against 24.2 s, with every key twice 27.5 s against
    16.9 s (docs/performance_history.md). -#}
{% macro numbered_key_copies(relation, key, order_by) -%}
with

counted as (

    select
        {{ relation }}.*,
        count(*) over (partition by {{ key }}) as key_copies
    from {{ relation }}

)

select
    counted.*,
    1 as key_occurrence
from counted
where key_copies = 1

union all

select
    counted.*,
    row_number() over (partition by {{ key }} order by {{ order_by }}) as key_occurrence
from counted
where key_copies > 1
{%- endmacro %}
