{#- SQL: the leads an incremental activity model must recompute this run:
    those whose rows the upstream model (re)loaded in this run (column
    loaded_run), or every lead when the rules version differs from the one
    the model's rows were computed with. On a full build, every lead. -#}
{% macro leads_to_rescore(upstream) -%}
    select distinct rescored.lead_id
    from {{ upstream }} as rescored
    {%- if is_incremental() %}
        where
            rescored.loaded_run = '{{ invocation_id }}'
            or (select max(previous.rules_version) from {{ this }} as previous)
            <> (select max(current_rules.rules_version)
                from {{ ref('int_scoring_rules_versioned') }} as current_rules)
    {%- endif %}
{%- endmacro %}
