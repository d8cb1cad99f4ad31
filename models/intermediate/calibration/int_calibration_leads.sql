{#- The leads the rules are checked against, per scoring model: every lead
    scored on the calibration date (the latest reason snapshot at least var
    calibration_window_days before the latest score_date) that had not converted
    yet, with what happened in the window after it, and its sample: the
    earliest var calibration_train_share of the leads by creation fit the
    calibration (train), the later ones measure it (holdout); leads created
    at the same moment are ordered by an md5 hash of their id (stable on
    every engine, unlike text order, where '999' sorts after '1000'). -#}
{#- The history is read where needed (dates, then one date's rows), not
    through an import CTE an engine may materialise whole (DuckDB does for a
    CTE read several times): the history grows with every run. -#}
{%- set history = ref('lead_score_history') %}

with

leads as (

    select * from {{ ref('int_leads_enriched') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}
    where quarantine_reason is null

),

latest as (

    select max(history.score_date) as latest_date from {{ history }} as history

),

calibration_date as (

    -- a date with reasons (lead_reason_history keeps snapshot dates only)
    select
        max(reasons.score_date) as calibration_date,
        max(latest.latest_date) as latest_date
    from {{ ref('lead_reason_history') }} as reasons
    cross join latest
    where
        reasons.score_date
        <= {{ dbt.dateadd('day', -var('calibration_window_days'), 'latest.latest_date') }}

),

scored as (

    select
        history.*,
        calibration_date.calibration_date,
        leads.created_at
    from {{ history }} as history
    inner join calibration_date
        on history.score_date = calibration_date.calibration_date
    inner join leads
        on history.lead_id = leads.lead_id
    where history.lifecycle_stage not in ('opportunity', 'customer')

),

outcomes as (

    select
        opportunities.lead_id,
        max(case
            when
                cast(opportunities.created_at as date) > calibration_date.calibration_date
                and cast(opportunities.created_at as date)
                <= {{ dbt.dateadd('day', var('calibration_window_days'),
                    'calibration_date.calibration_date') }}
                then 1
            else 0
        end) as has_opportunity,
        max(case
            when
                opportunities.is_won
                and cast(opportunities.created_at as date) > calibration_date.calibration_date
                and cast(opportunities.closed_at as date)
                <= {{ dbt.dateadd('day', var('calibration_window_days'),
                    'calibration_date.calibration_date') }}
                then 1
            else 0
        end) as has_won
    from opportunities
    cross join calibration_date
    group by opportunities.lead_id

),

split as (

    select
        scored.*,
        coalesce(outcomes.has_opportunity, 0) as has_opportunity,
        coalesce(outcomes.has_won, 0) as has_won,
        percent_rank() over (
            partition by scored.scoring_model
            order by scored.created_at, {{ dbt.hash("scored.lead_id") }}
        ) as creation_position
    from scored
    left join outcomes
        on scored.lead_id = outcomes.lead_id

),

final as (

    select
        -- ids
        lead_id,

        -- strings
        scoring_model,
        grade,
        grade_engagement_cell,
        case
            when creation_position < {{ var('calibration_train_share') }} then 'train'
            else 'holdout'
        end as sample,

        -- numerics
        fit_points,
        behaviour_score,
        engagement_band,
        matrix_priority,
        -- The rules' order among these leads (as score_rank in
        -- int_lead_scores_combined), whatever the priority list did with them.
        row_number() over (
            partition by scoring_model
            order by {{ lead_scoring.rules_order() }}
        ) as score_rank,
        has_opportunity,
        has_won,

        -- dates
        calibration_date,

        -- timestamps
        created_at

    from split

)

select * from final
