{#- SQL: per key (a lead, or a lead and scoring model), its row of a history
    table (one row per key and score_date) at the latest score_date on or
    before cutoff.
    Usually that is the latest run's date on or before cutoff, for every
    key: only that date is read (decided while the model compiles, so the
    engine skips the other dates' blocks). Keys of `wanted` missing from it
    (a new lead, or one absent from that run) fall back to their own latest
    earlier date: only those keys are looked up in the older history, which
    grows with every run (looking up every key missing from the last run,
    deleted leads included, took a daily run 11 times longer with two months
    of history at 1M leads).
    history: the relation; cutoff: SQL date expression; columns: the columns
    to return (keys included): a list, or a mapping of name to SQL type for a
    model reading its own history (`this`), which on a full build has none
    yet: no row then; keys: the columns a row is per; wanted: a relation
    (CTE) with the keys the model needs rows for; last_run_date: what
    latest_history_date(history, cutoff) returns, when the model has already
    asked (not asked again). -#}
{% macro latest_history_rows(history, cutoff, columns, keys, wanted, last_run_date=none) -%}
    {%- set reads_own_history = columns is mapping -%}
    {%- if reads_own_history and not is_incremental() -%}
        {%- set last_run_date = 'none' -%}
    {%- elif last_run_date is none -%}
        {%- set last_run_date = lead_scoring.latest_history_date(history, cutoff) -%}
    {%- endif -%}
    {%- if last_run_date == 'none' -%}
    select
        {%- for column in columns %}
        {% if reads_own_history %}cast(null as {{ columns[column] }}) as {% endif -%}
        {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ '(select 1 as no_history) as no_history' if reads_own_history else history }}
    where 1 = 0
    {%- else -%}
    select {{ columns | list | join(', ') }}
    from {{ history }}
    where score_date = {{ last_run_date }}

    union all

    select {% for column in columns %}earlier.{{ column }}{% if not loop.last %}, {% endif %}{% endfor %}
    from {{ history }} as earlier
    inner join (
        select
            {% for key in keys %}missed.{{ key }}, {% endfor %}
            max(missed.score_date) as score_date
        from {{ history }} as missed
        inner join (
            -- the wanted keys the last run has no row for
            select {% for key in keys %}wanted.{{ key }}{% if not loop.last %}, {% endif %}{% endfor %}
            from {{ wanted }} as wanted
            where not exists (
                select 1
                from {{ history }} as in_last_run
                where
                    in_last_run.score_date = {{ last_run_date }}
                    {%- for key in keys %}
                    and in_last_run.{{ key }} = wanted.{{ key }}
                    {%- endfor %}
            )
        ) as absent
            on
                {% for key in keys %}missed.{{ key }} = absent.{{ key }}
                and {% endfor %}missed.score_date < {{ last_run_date }}
        group by {% for key in keys %}missed.{{ key }}{% if not loop.last %}, {% endif %}{% endfor %}
    ) as latest_earlier
        on
            {% for key in keys %}earlier.{{ key }} = latest_earlier.{{ key }}
            and {% endfor %}earlier.score_date = latest_earlier.score_date
    {%- endif -%}
{%- endmacro %}

{#- SQL date: the latest score_date of history on or before cutoff, as a
    literal read while the model compiles (the string 'none' when there is
    none); where the history cannot be read then (`dbt compile` before the
    first build; a unit test, whose history is its given rows), the same as
    a subquery the engine runs. -#}
{% macro latest_history_date(history, cutoff) -%}
    {%- set subquery -%}
        (
            select max(last_run.score_date)
            from {{ history }} as last_run
            where last_run.score_date <= {{ cutoff }}
        )
    {%- endset -%}
    {%- if lead_scoring.compiling_for_a_run() and load_relation(history) is not none -%}
        {%- set latest = run_query(
            'select cast(' ~ subquery ~ ' as ' ~ dbt.type_string() ~ ')'
        ).columns[0].values()[0] -%}
        {{- return('none' if latest is none else "cast('" ~ latest ~ "' as date)") -}}
    {%- endif -%}
    {{- return(subquery) -}}
{%- endmacro %}

{#- SQL relation (a subquery): every live lead (int_leads_enriched) under
    every scoring model (grade_bands), lead_id and scoring_model: the keys
    whose history a daily run looks up (not those of leads long gone). -#}
{% macro live_lead_keys() -%}
    (
        select
            leads.lead_id,
            models.scoring_model
        from {{ ref('int_leads_enriched') }} as leads
        cross join (select distinct scoring_model from {{ ref('grade_bands') }}) as models
    )
{%- endmacro %}
