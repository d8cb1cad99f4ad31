{#- Data tests' `where` (dbt's get_where_subquery, overridden): in a daily
    run the tests of a large incremental model check the rows the run wrote,
    not the whole table (the history marts: this run's score_date; a model
    with loaded_run: the rows this run wrote). Only when the environment
    variable LEAD_SCORING_TEST_SCOPE is `written` (the CLI's incremental
    builds; --test-whole-tables, full refreshes, plain dbt and CI test every
    row), read at execution only, so it never costs a parse. A test's own
    `where` is kept. -#}
{% macro default__get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- if config.get('where', '') -%}
        {%- do conditions.append('(' ~ config.get('where') ~ ')') -%}
    {%- endif -%}
    {%- set scope = lead_scoring.written_rows_condition() -%}
    {%- if scope -%}
        {%- do conditions.append(scope) -%}
    {%- endif -%}
    {%- if conditions -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ conditions | join(' and ') }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}

{#- The SQL condition on the tested model's rows this run wrote, or '' (test
    every row): see default__get_where_subquery. -#}
{% macro written_rows_condition() -%}
    {%- if not execute or flags.FULL_REFRESH
        or env_var('LEAD_SCORING_TEST_SCOPE', '') != 'written' -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- set tested = graph.nodes.get(model.get('attached_node') or '') -%}
    {%- if not tested or tested.config.materialized != 'incremental' -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- if tested.config.unique_key == 'score_date' -%}
        {%- do return('score_date = ' ~ lead_scoring.score_date()) -%}
    {%- elif 'loaded_run' in tested.columns -%}
        {%- do return("loaded_run = '" ~ invocation_id ~ "'") -%}
    {%- endif -%}
    {%- do return('') -%}
{%- endmacro %}
