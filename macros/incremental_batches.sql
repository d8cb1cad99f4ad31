{#- The incremental activity models (int_activities_flagged,
    int_activities_rules_matched, int_activities_frequency_capped,
    int_lead_rule_state, int_lead_activity_recency) recompute only the rows a
    run's new activity can change, the profile rules
    (int_profile_rules_matched) only the leads whose profile changed. These
    macros hold what they share. "In this run" below means what
    loaded_this_run means: in this run or in a run the model missed
    (run_log.sql). -#}

{#- The pre-hooks that delete a model's stale rows (stale_row). -#}
{% macro stale_row_hooks() -%}
    {{ return(['delete_stale_rules_version', 'delete_stale_predictive_model']) }}
{%- endmacro %}

{#- Pre-hook: on an incremental run, delete the rows computed under another
    rules version. The model then finds itself empty (recompute_all) and
    recomputes every row with the rules in force. -#}
{% macro delete_stale_rules_version() -%}
    {%- if is_incremental() -%}
        {{ lead_scoring.delete_stale('delete_stale_rules_version') }}
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook of the event-grain models keyed by activity_key (text_key of
    activity_id): on an incremental run of a table stored before the key
    existed, add it and fill it from activity_id (once; an upgrade). -#}
{% macro add_activity_key() -%}
    {%- if is_incremental() and execute
        and 'activity_key' not in lead_scoring.stored_columns() -%}
        alter table {{ this }} add column activity_key bigint;
        update {{ this }} set activity_key = {{ lead_scoring.text_key('activity_id') }}
    {%- endif -%}
{%- endmacro %}

{#- The column names (lower case) of the model's stored table (this): what
    an older build of it lacks. -#}
{% macro stored_columns() -%}
    {{ return(adapter.get_columns_in_relation(this) | map(attribute='name')
        | map('lower') | list) }}
{%- endmacro %}

{#- SQL condition on a stored row of this: stale by the pre-hook `hook` of
    stale_row_hooks, computed under another rules version or predictive
    model than the current one (every row while the stored table lacks the
    column, as after an upgrade). -#}
{% macro stale_row(hook) -%}
    {%- if hook == 'delete_stale_rules_version' -%}
        {%- set column = 'rules_version' -%}
        {%- set current = '(select max(current_rules.rules_version) from '
            ~ ref('int_scoring_rules_versioned') ~ ' as current_rules)' -%}
    {%- else -%}
        {%- set column = 'model_fingerprint' -%}
        {%- set current = lead_scoring.predictive_model_fingerprint() -%}
    {%- endif -%}
    {%- if column in lead_scoring.stored_columns() -%}
        {{ column }} is distinct from {{ current }}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook body: delete the stale rows of this by the pre-hook `hook` of
    stale_row_hooks. -#}
{% macro delete_stale(hook) -%}
    delete from {{ this }} where {{ lead_scoring.stale_row(hook) }}
{%- endmacro %}

{#- True while a model compiles to run on the warehouse: not while dbt
    parses, and not in a unit test, whose `this` and refs are its given
    rows. Only then may a macro read the warehouse with run_query. -#}
{% macro compiling_for_a_run() -%}
    {{ return(execute and model.resource_type != 'unit_test') }}
{%- endmacro %}

{#- True when the stored table (this) holds a row that the model's stale-row
    pre-hooks (stale_row_hooks) will keep. Asked while the model compiles,
    before its pre-hooks run: they delete exactly the rows asked about. -#}
{% macro stored_rows_kept() -%}
    {%- set kept = [] -%}
    {%- for hook in config.get('pre_hook') or [] -%}
        {%- for name in lead_scoring.stale_row_hooks() if name ~ '()' in (hook.sql or hook) -%}
            {%- do kept.append('not (' ~ lead_scoring.stale_row(name) ~ ')') -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set found = run_query(
        'select count(*) from (select 1 from ' ~ this ~ ' where '
        ~ (kept | join(' and ') or 'true') ~ ' limit 1) as kept_row') -%}
    {{ return(found.columns[0].values()[0] > 0) }}
{%- endmacro %}

{#- SQL condition: this run computes every row (a full build, or an
    incremental model whose stored table is empty or about to be emptied by
    its stale-row pre-hooks: first run, a rules or model change). Decided
    while the model compiles (stored_rows_kept), so the engine sees a
    constant: a condition it evaluates at run time (`not exists (select 1
    from this)`) leaves it estimating the batch as large as the whole
    upstream table, and it builds its hash joins on the wrong side (at 1M
    leads, 2 s instead of 0.01 s for an empty batch of the caps). At parse
    time and in unit tests (compiling_for_a_run) the condition stays SQL.
    It does not depend on the row: never write "recompute_all() or <batch
    condition>", which hides the batch condition from the engine (DuckDB then
    scans the whole relation); select the batch, and everything in a union
    all branch under recompute_all() (rows_to_recompute). -#}
{% macro recompute_all() -%}
    {%- if not is_incremental() -%}
        true
    {%- elif lead_scoring.compiling_for_a_run() -%}
        {{ 'false' if lead_scoring.stored_rows_kept() else 'true' }}
    {%- else -%}
        (not exists (select 1 from {{ this }}))
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

{#- True while an incremental run executes and relation holds no row
    (re)loaded in this run that meets `usable` (SQL on the row): a model
    whose rows change only with those rows then says `false` instead of
    letting the engine scan its history against an empty batch. The engine
    skips every stored block of other runs by its statistics. False at parse
    time, on full builds and in unit tests (relation is a CTE of the test's
    query). -#}
{% macro nothing_loaded_this_run(relation, usable) -%}
    {%- if not (execute and is_incremental())
        or relation.identifier.startswith('__dbt__cte__') -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set found = run_query(
        'select count(*) from (select 1 from ' ~ relation ~ ' as batch_rows where '
        ~ lead_scoring.loaded_this_run('batch_rows') ~ ' and (' ~ usable ~ ') limit 1)'
        ~ ' as batch_row') -%}
    {{ return(found.columns[0].values()[0] == 0) }}
{%- endmacro %}

{#- Pre-hook of the per-lead profile models: delete the rows of the leads
    kept_relation does not hold (no longer live), and with
    written_this_run_too of those it holds in a row written in this run
    (their profile changed: the model computes them again).
    int_lead_profile_fingerprints keeps the leads of int_leads_enriched,
    int_profile_rules_matched the unchanged ones of the fingerprints. -#}
{% macro delete_leads_not_kept(kept_relation, written_this_run_too=false) -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where not exists (
            select 1 from {{ kept_relation }} as kept
            where
                kept.lead_id = {{ this.identifier }}.lead_id
                {%- if written_this_run_too %}
                and not {{ lead_scoring.loaded_this_run('kept') }}
                {%- endif %}
        )
    {%- endif -%}
{%- endmacro %}

{#- SQL condition: the row of relation was (re)computed upstream in this run
    or in a run since this model last ran (runs_not_read_yet). -#}
{% macro loaded_this_run(relation) -%}
    {%- set runs = lead_scoring.runs_not_read_yet() -%}
    {%- if runs | length == 1 -%}
        {{ relation }}.loaded_run = '{{ runs[0] }}'
    {%- else -%}
        {{ relation }}.loaded_run in ('{{ runs | join("', '") }}')
    {%- endif -%}
{%- endmacro %}

{#- SELECT of the rows (re)loaded into the activities stream in this run
    for another lead than before (moved_from_lead_id: a visit re-stitched, a
    CRM activity whose lead was corrected): what they left behind (verdicts,
    caps, state, recency, the activity fact) changes too. -#}
{% macro moved_this_run() -%}
    select moved.*
    from {{ ref('int_activities_flagged') }} as moved
    where
        {{ lead_scoring.loaded_this_run('moved') }}
        and moved.moved_from_lead_id is not null
{%- endmacro %}

{#- SELECT of the leads (lead_id) that rows moved_this_run left. -#}
{% macro leads_left_this_run() -%}
    select moved_rows.moved_from_lead_id as lead_id
    from ({{ lead_scoring.moved_this_run() }}) as moved_rows
{%- endmacro %}

{#- SELECT of the lead-days (lead_id, occurred_date) that rows moved_this_run
    left. -#}
{% macro lead_days_left_this_run() -%}
    select moved_rows.moved_from_lead_id as lead_id, moved_rows.occurred_date
    from ({{ lead_scoring.moved_this_run() }}) as moved_rows
{%- endmacro %}

{#- Pre-hook of fct_lead_activity_daily: delete the lead-days activity left
    in this run; the model recomputes what they still have. -#}
{% macro delete_lead_days_left_this_run() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where exists (
            select 1 from ({{ lead_scoring.lead_days_left_this_run() }}) as left_days
            where
                left_days.lead_id = {{ this.identifier }}.lead_id
                and left_days.occurred_date = {{ this.identifier }}.activity_date
        )
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook of a per-lead incremental state (int_lead_rule_state,
    int_lead_activity_recency): delete the rows of the leads activity left in
    this run; the model recomputes them from what the leads still have. -#}
{% macro delete_leads_left_this_run() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where lead_id in ({{ lead_scoring.leads_left_this_run() }})
    {%- endif -%}
{%- endmacro %}

{#- SELECT of the keys of a dated incremental state (int_lead_rule_state,
    int_lead_activity_recency: rows with state_date and next_due_date) that
    this run recomputes from their whole history: keys with rows of
    changed_relation (re)computed upstream in this run (or where also_when,
    a SQL condition on changed, holds), the keys with rows of the leads
    activity left in this run (the model's pre-hook
    delete_leads_left_this_run deletes their stored rows), stored keys whose
    later-dated activity is now due (next_due_date up to score_date), and
    stored keys computed for a later score_date. The other stored rows stay
    exact. -#}
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
    select {{ changed_keys }}
    from {{ changed_relation }} as changed
    where changed.lead_id in ({{ lead_scoring.leads_left_this_run() }})
    union
    select {{ 'previous.' ~ keys | join(', previous.') }}
    from {{ this }} as previous
    where
        previous.next_due_date <= {{ this_day }}
        or previous.state_date > {{ this_day }}
{%- endmacro %}

{#- "as" of a CTE read more than once: on a full build, where the CTE only
    reads a stored table, as_read_again() (at 1M leads flagging's 25M activity
    rows spilled to disk, 25.8 s -> 19.0 s). Plain "as" on an incremental run
    (a small batch that joins stored rows, dearer to compute twice). -#}
{% macro as_read_again_on_full_build() -%}
    {%- if not is_incremental() -%}
        {{ lead_scoring.as_read_again() }}
    {%- else -%}
        as
    {%- endif -%}
{%- endmacro %}

{#- SELECT of the rows a model that judges each row together with its
    neighbours computes this run, with is_new and stored_<stored_column>:
    the rows of batch (a CTE of the rows the model (re)loads this run, every
    row when recompute_all(), with moved_from_lead_id), and the stored rows
    of this sharing a neighbourhood with one of them. neighbourhoods: a list
    of {'where': condition, 'keys': [expressions]}, unqualified SQL on a row
    (a stored row is in a neighbourhood of a batch row when both meet
    `where` and all keys are equal). A batch row stored for another lead
    before (moved_from_lead_id) has its neighbours at the lead it left
    recomputed too; columns[0] is the row key. The parts are disjoint when
    the `where`s are: a batch row's stored version is left out. -#}
{% macro rows_with_neighbours(batch, columns, stored_column, neighbourhoods) -%}
    {%- set stored_as = 'stored_' ~ stored_column -%}
    {%- set moved_columns = [] -%}
    {%- for column in columns -%}
        {%- do moved_columns.append(
            'moved_from_lead_id as lead_id' if column == 'lead_id' else column) -%}
    {%- endfor -%}
    select
        {{ 'batch_rows.' ~ columns | join(', batch_rows.') }},
        batch_rows.moved_from_lead_id,
        true as is_new,
        cast(null as {{ dbt.type_string() }}) as {{ stored_as }}
    from {{ batch }} as batch_rows
    {%- if is_incremental() %}
    {%- for neighbourhood in neighbourhoods %}

    union all

    -- the neighbours' key columns are numbered, so the unqualified
    -- expressions read the stored row
    select
        {{ 'previous.' ~ columns | join(', previous.') }},
        cast(null as {{ dbt.type_string() }}) as moved_from_lead_id,
        false as is_new,
        previous.{{ stored_column }} as {{ stored_as }}
    from {{ this }} as previous
    inner join (
        select distinct
            {%- for key in neighbourhood['keys'] %}
            {{ key }} as neighbourhood_key_{{ loop.index }}{{ ',' if not loop.last }}
            {%- endfor %}
        from (
            select {{ columns | join(', ') }} from {{ batch }}
            union all
            -- a moved row's neighbours at the lead it left
            select {{ moved_columns | join(', ') }} from {{ batch }}
            where moved_from_lead_id is not null
        ) as batch_rows
        where {{ neighbourhood['where'] }}
    ) as neighbours
        on
            {%- for key in neighbourhood['keys'] %}
            {{ key }} = neighbours.neighbourhood_key_{{ loop.index }}
            {{- ' and' if not loop.last }}
            {%- endfor %}
    where
        {{ neighbourhood['where'] }}
        and not {{ lead_scoring.recompute_all() }}
        -- a batch row's stored version is not its neighbour
        and previous.{{ columns[0] }} not in (
            select moved.{{ columns[0] }} from {{ batch }} as moved
            where moved.moved_from_lead_id is not null
        )
    {%- endfor %}
    {%- endif %}
{%- endmacro %}

{#- CTEs `stored` and `matched` for a model that numbers rows within groups
    (group_keys) and is incremental by group: `stored` holds the stored rows
    of the groups with a row in the CTE `changed` (with is_replaced: its row
    is in changed too, by row_keys); `matched` the rows to number, with
    is_recomputed: the whole history (all_rows) of a group with a replaced
    row or a changed row not later than a stored one, else only the group's
    changed rows, to be numbered on from the stored counts. A changed row
    the activities stream moved to another lead (moved_from_lead_id) also
    changes the group it left (by lead_id), where its stored version is
    replaced. On a full build `matched` is changed, all recomputed, read
    again where used (not materialised), and there is no `stored`. -#}
{% macro groups_to_number(all_rows, group_keys, row_keys) -%}
    {%- set moved_keys = [] -%}
    {%- for key in group_keys -%}
        {%- do moved_keys.append('moved.moved_from_lead_id as lead_id'
            if key == 'lead_id' else 'changed.' ~ key) -%}
    {%- endfor -%}
    {%- set on_keys = [] -%}
    {%- for key in group_keys -%}
        {%- do on_keys.append('{a}.' ~ key ~ ' = {b}.' ~ key) -%}
    {%- endfor -%}
    {%- set same_group = on_keys | join('\n            and ') -%}
    {%- if is_incremental() %}
    changed_groups as (

        select
            {{ group_keys | join(',\n            ') }},
            min(occurred_at) as first_changed_at
        from (
            select {{ group_keys | join(', ') }}, occurred_at from changed
            union all
            -- the groups that rows moved to another lead left
            select
                {{ moved_keys | join(',\n                ') }},
                changed.occurred_at
            from changed
            inner join ({{ lead_scoring.moved_this_run() }}) as moved
                on changed.activity_key = moved.activity_key
        ) as changed_and_left
        group by {{ group_keys | join(', ') }}

    ),

    stored as (

        select
            previous.*,
            replaced.{{ row_keys[0] }} is not null as is_replaced,
            changed_groups.first_changed_at
        from {{ this }} as previous
        inner join changed_groups
            on
            {{ same_group.replace('{a}', 'previous').replace('{b}', 'changed_groups') }}
        left join changed as replaced
            on
            {%- for key in row_keys %}
            previous.{{ key }} = replaced.{{ key }}{{ ' and' if not loop.last }}
            {%- endfor %}

    ),

    recomputed_groups as (

        select distinct {{ group_keys | join(', ') }}
        from stored
        where
            is_replaced
            or occurred_at >= first_changed_at

    ),

    matched as (

        select
            all_rows.*,
            true as is_recomputed
        from {{ all_rows }} as all_rows
        inner join recomputed_groups
            on
            {{ same_group.replace('{a}', 'all_rows').replace('{b}', 'recomputed_groups') }}

        union all

        select
            changed.*,
            false as is_recomputed
        from changed
        where not exists (
            select 1
            from recomputed_groups
            where
            {{ same_group.replace('{a}', 'changed').replace('{b}', 'recomputed_groups') }}
        )

    ),
    {%- else %}
    matched {{ lead_scoring.as_read_again() }} (

        select
            changed.*,
            true as is_recomputed
        from changed

    ),
    {%- endif %}
{%- endmacro %}

{#- SELECT of relation (a CTE built on groups_to_number's matched) with
    column: the number of stored rows sharing keys with the row, the offset
    to number a row on from; 0 for a recomputed row and on a full build. -#}
{% macro with_stored_count(relation, keys, column) -%}
    select
        {{ relation }}.*,
        {%- if is_incremental() %}
        case
            when {{ relation }}.is_recomputed then 0
            else coalesce(stored_counts.stored_count, 0)
        end as {{ column }}
    from {{ relation }}
    left join (
        select
            {{ keys | join(',\n            ') }},
            count(*) as stored_count
        from stored
        group by {{ keys | join(', ') }}
    ) as stored_counts
        on
        {%- for key in keys %}
            {{ relation }}.{{ key }} = stored_counts.{{ key }}{{ ' and' if not loop.last }}
        {%- endfor %}
        {%- else %}
        0 as {{ column }}
    from {{ relation }}
        {%- endif %}
{%- endmacro %}

{#- Pre-hook of a model incremental by date: on an incremental run, delete
    the rows dated after score_date (a run for an earlier date). -#}
{% macro delete_after_score_date(column) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ column }} > {{ lead_scoring.score_date() }}
    {%- endif -%}
{%- endmacro %}

{#- SQL scalar: a fingerprint of the trained predictive model, every row of
    seed predictive_model (a coefficient edited by hand changes it too);
    null while the seed is empty. A model that stores contributions keeps
    it on each row (int_lead_predictive_static, int_lead_feature_state). -#}
{% macro predictive_model_fingerprint() -%}
    {%- set columns = ['feature_id', 'feature_source', 'feature_name', 'feature_measure',
                       'match_type', 'value_text', 'lower_bound', 'upper_bound',
                       'coefficient', 'points', 'label', 'model_version'] -%}
    (
        select sum({{ lead_scoring.key_hash(
            "coalesce(cast(" ~ columns | join(" as " ~ dbt.type_string() ~ "), '') || '|' || coalesce(cast(")
            ~ " as " ~ dbt.type_string() ~ "), '')") }})
        from {{ ref('predictive_model') }}
    )
{%- endmacro %}

{#- Pre-hook: on an incremental run, delete the rows computed with another
    predictive model than the seed's (all of them when the stored table has
    no model_fingerprint yet). The model then finds itself empty
    (recompute_all) and recomputes every lead. -#}
{#- SQL scalar: the version of the trained predictive model (seed
    predictive_model), null while the seed is empty. -#}
{% macro predictive_model_version() -%}
    (select max(trained.model_version) from {{ ref('predictive_model') }} as trained)
{%- endmacro %}

{% macro delete_stale_predictive_model() -%}
    {%- if is_incremental() -%}
        {{ lead_scoring.delete_stale('delete_stale_predictive_model') }}
    {%- endif -%}
{%- endmacro %}
