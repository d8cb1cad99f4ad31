{#- The incremental activity models (int_activities_flagged,
    int_activities_rules_matched, int_activities_frequency_capped,
    int_lead_rule_state) recompute only the rows a run's new activity can
    change. These macros hold what they share. -#}

{#- Pre-hook: on an incremental run, delete the rows computed under another
    rules version. The model then finds itself empty (recompute_all) and
    recomputes every row with the rules in force. -#}
{% macro delete_stale_rules_version() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where rules_version is distinct from (
            select max(current_rules.rules_version)
            from {{ ref('int_scoring_rules_versioned') }} as current_rules
        )
    {%- endif -%}
{%- endmacro %}

{#- SQL condition: this run computes every row (a full build, or an
    incremental model that is empty: first run or a rules change). -#}
{% macro recompute_all() -%}
    {%- if is_incremental() -%}
        not exists (select 1 from {{ this }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- SQL condition: the row of relation was (re)computed upstream in this run. -#}
{% macro loaded_this_run(relation) -%}
    {{ relation }}.loaded_run = '{{ invocation_id }}'
{%- endmacro %}
