{#- The incremental activity models (int_activities_flagged,
    int_activities_rules_matched, int_activities_frequency_capped,
    int_lead_rule_state, int_lead_activity_recency) recompute only the rows a
    run's new activity can change. These macros hold what they share. -#}

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
    incremental model that is empty: first run or a rules change).
    It does not depend on the row: never write "recompute_all() or <batch
    condition>", which hides the batch condition from the engine (DuckDB then
    scans the whole relation); select the batch, and everything in a union
    all branch under recompute_all() (rows_to_recompute). -#}
{% macro recompute_all() -%}
    {%- if is_incremental() -%}
        (not exists (select 1 from {{ this }}))
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- SELECT of the rows of relation this run recomputes: those (re)computed
    upstream in this run, or all of them when recompute_all(). Two branches,
    so that the engine skips the one it does not need. -#}
{% macro rows_to_recompute(relation, alias) -%}
    select {{ alias }}.* from {{ relation }} as {{ alias }}
    {%- if is_incremental() %}
    where
        {{ lead_scoring.loaded_this_run(alias) }}
        and not {{ lead_scoring.recompute_all() }}
    union all
    select {{ alias }}.* from {{ relation }} as {{ alias }}
    where {{ lead_scoring.recompute_all() }}
    {%- endif %}
{%- endmacro %}

{#- SQL condition: the row of relation was (re)computed upstream in this run. -#}
{% macro loaded_this_run(relation) -%}
    {{ relation }}.loaded_run = '{{ invocation_id }}'
{%- endmacro %}

{#- SELECT of the keys of a dated incremental state (int_lead_rule_state,
    int_lead_activity_recency: rows with state_date and next_due_date) that
    this run recomputes from their whole history: keys with rows of
    changed_relation (re)computed upstream in this run (or where also_when,
    a SQL condition on changed, holds), stored keys whose later-dated
    activity is now due (next_due_date up to score_date), and stored keys
    computed for a later score_date. The other stored rows stay exact. -#}
{% macro state_keys_to_recompute(changed_relation, keys, also_when=none) -%}
    {%- set this_day = score_date() -%}
    {%- set changed_keys = 'changed.' ~ keys | join(', changed.') -%}
    select distinct {{ changed_keys }}
    from {{ changed_relation }} as changed
    where {{ lead_scoring.loaded_this_run('changed') }}
    {%- if also_when %}
    union
    select {{ changed_keys }}
    from {{ changed_relation }} as changed
    where {{ also_when }}
    {%- endif %}
    union
    select {{ 'previous.' ~ keys | join(', previous.') }}
    from {{ this }} as previous
    where
        previous.next_due_date <= {{ this_day }}
        or previous.state_date > {{ this_day }}
{%- endmacro %}
