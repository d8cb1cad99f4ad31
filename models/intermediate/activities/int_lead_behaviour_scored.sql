{{ config(materialized='view') }}
{#- Behaviour (engagement) score per lead and scoring model: the sum of its
    capped, decayed rule contributions. Leads with no scored activity get 0.
    A view, read once by int_lead_scores_combined. -#}
with

leads as (

    select * from {{ ref('int_leads_enriched') }}

),

contributions as (

    select * from {{ ref('int_lead_rule_contributions') }}

),

recency as (

    select * from {{ ref('int_lead_activity_recency') }}

),

rules_version as (

    select * from {{ ref('int_scoring_rules_versioned') }}

),

scoring_models as (

    select distinct scoring_model from {{ ref('grade_bands') }}

),

score_per_lead as (

    select
        lead_id,
        scoring_model,
        -- the same bits whatever order the engine adds in (ties rank by lead_id)
        {{ lead_scoring.order_independent_sum('capped_points') }} as behaviour_score,
        sum(occurrence_count) as scored_activity_count,
        max(last_occurred_at) as last_scored_activity_at
    from contributions
    group by lead_id, scoring_model

),

final as (

    select
        -- ids
        leads.lead_id,

        -- strings
        scoring_models.scoring_model,
        rules_version.rules_version,

        -- numerics
        coalesce(score_per_lead.behaviour_score, 0) as behaviour_score,
        coalesce(score_per_lead.scored_activity_count, 0) as scored_activity_count,

        -- dates
        {{ score_date() }} as score_date,

        -- timestamps
        score_per_lead.last_scored_activity_at,
        recency.last_activity_at

    from leads
    cross join scoring_models
    cross join rules_version
    left join score_per_lead
        on
            leads.lead_id = score_per_lead.lead_id
            and scoring_models.scoring_model = score_per_lead.scoring_model
    left join recency
        on leads.lead_id = recency.lead_id

)

select * from final
