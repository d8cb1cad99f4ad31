{#- Every rule's contribution to each live lead's scores, per scoring model,
    on snapshot dates, kept across runs like lead_score_history: what the
    calibration models learn from. A run writes its score_date when no stored
    date is fewer than var reason_history_every_days before it; the runs
    between write nothing (a row per lead and rule every day was 8M rows a day
    at 1M leads). Reasons as of any other date: build with --score-date. -#}
{%- set snapshot_is_recent = false -%}
{%- if is_incremental() and execute -%}
    {%- set recent = run_query(
        "select count(*) from " ~ this
        ~ " where score_date < " ~ score_date()
        ~ " and score_date > " ~ dbt.dateadd(
            'day', -var('reason_history_every_days'), score_date())) -%}
    {%- set snapshot_is_recent = recent.columns[0].values()[0] > 0 -%}
{%- endif -%}
with

reasons as (

    select * from {{ ref('int_lead_score_reasons') }}

),

rules_version as (

    select * from {{ ref('int_scoring_rules_versioned') }}

),

final as (

    select
        -- ids
        reasons.lead_id,
        reasons.rule_id,

        -- strings
        reasons.scoring_model,
        reasons.reason_type,
        rules_version.rules_version,

        -- numerics
        cast(reasons.occurrence_count as bigint) as occurrence_count,
        cast(reasons.points_before_decay as {{ lead_scoring.type_double() }})
            as points_before_decay,
        cast(reasons.points as {{ lead_scoring.type_double() }}) as points,

        -- dates
        {{ score_date() }} as score_date,

        -- lineage: the run that wrote the row (a publish copies what changed)
        '{{ invocation_id }}' as loaded_run

    from reasons
    cross join rules_version
    -- a run between snapshot dates writes no row
    where {{ 'false' if snapshot_is_recent else 'true' }}

)

select * from final
