{#- The run log: which dbt runs there were, and which incremental models
    finished in which. An incremental model reads "what upstream wrote
    since I last ran" (loaded_this_run), not only "in this run": after a run
    of part of the DAG (`dbt run -s int_activities_flagged`, or a build whose
    failing test skipped the models after it) the next run of the model
    picks up the rows it missed. One row per run (model null) and one per
    incremental model that succeeded in it. -#}
{% macro run_log_relation() -%}
    {#- Spark has no database level (its schema is the database). -#}
    {{ return(api.Relation.create(
        database=none if target.type == 'spark' else target.database,
        schema='intermediate', identifier='dbt_incremental_run_log')) }}
{%- endmacro %}

{#- on-run-start: create the log (first run) and number this run in it.
    Only runs that can build models are logged: a `dbt test` (or `lead-scoring
    validate`) in between writes no row, and a model whose only pending run
    is this one compiles its batch to `loaded_run = '<this run>'`, which the
    engine prunes by block statistics. -#}
{% macro log_run_start() -%}
    {%- if flags.WHICH not in ['run', 'build', 'retry'] -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set log = lead_scoring.run_log_relation() -%}
    {%- do adapter.create_schema(log) -%}
    {%- do run_query('create table if not exists ' ~ log ~ ' (run_number integer, '
        ~ 'invocation_id ' ~ dbt.type_string() ~ ', model_name ' ~ dbt.type_string() ~ ')'
        ~ (' using parquet' if target.type == 'spark' else '')) -%}
    insert into {{ log }}
    select
        coalesce(max(run_number), 0) + 1,
        '{{ invocation_id }}',
        cast(null as {{ dbt.type_string() }})
    from {{ log }}
{%- endmacro %}

{#- on-run-end: log the incremental models this run built. -#}
{% macro log_run_end(results) -%}
    {%- set built = [] -%}
    {%- for result in results
        if result.status == 'success' and result.node.resource_type == 'model'
        and result.node.config.materialized == 'incremental' -%}
        {%- do built.append(result.node.name) -%}
    {%- endfor -%}
    {%- if built -%}
        {%- set log = lead_scoring.run_log_relation() -%}
        insert into {{ log }}
        select this_run.run_number, this_run.invocation_id, built.model_name
        from {{ log }} as this_run
        cross join (
            {%- for name in built %}
            select '{{ name }}' as model_name {{- ' union all' if not loop.last }}
            {%- endfor %}
        ) as built
        where
            this_run.invocation_id = '{{ invocation_id }}'
            and this_run.model_name is null
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}

{#- The runs whose upstream rows this model has not read yet: this run, and
    every logged run since the last one in which this model finished. Only
    this run at parse time, on full builds, in unit tests (`this` is then a
    CTE's name) and before the log exists. -#}
{% macro runs_not_read_yet() -%}
    {%- set runs = [invocation_id] -%}
    {%- if not (execute and is_incremental()) or this is string -%}
        {{ return(runs) }}
    {%- endif -%}
    {%- set log = lead_scoring.run_log_relation() -%}
    {%- if adapter.get_relation(log.database, log.schema, log.identifier) is none -%}
        {{ return(runs) }}
    {%- endif -%}
    {%- set logged = run_query(
        'select invocation_id from ' ~ log ~ ' where model_name is null and run_number > '
        ~ '(select coalesce(max(run_number), 0) from ' ~ log
        ~ " where model_name = '" ~ model.name ~ "') order by run_number") -%}
    {%- for run in logged.columns[0].values() if run not in runs -%}
        {%- do runs.append(run) -%}
    {%- endfor -%}
    {{ return(runs) }}
{%- endmacro %}
