{{ config(materialized='view') }}
{#- Fit points and grade per lead and scoring model: the sum of the matched
    profile rules' points, placed in the model's grade bands
    (min_points inclusive, max_points exclusive). A view, read once by
    int_lead_scores_combined. -#}
with

leads as (

    select * from {{ ref('int_leads_enriched') }}

),

matched_rules as (

    select * from {{ ref('int_profile_rules_matched') }}

),

grade_bands as (

    select * from {{ ref('grade_bands') }}

),

rules_version as (

    select * from {{ ref('int_scoring_rules_versioned') }}

),

scoring_models as (

    select distinct scoring_model from grade_bands

),

points_per_lead as (

    select
        lead_id,
        scoring_model,
        -- the rules' points added up exactly (0.1 + 8.2 + 1.7 is 10), whatever
        -- order the engine adds in: a grade's lower bound holds
        {{ lead_scoring.order_independent_sum('points', decimals=9) }} as fit_points,
        count(*) as matched_rule_count
    from matched_rules
    group by lead_id, scoring_model

),

leads_per_model as (

    select
        leads.lead_id,
        scoring_models.scoring_model,
        coalesce(points_per_lead.fit_points, 0) as fit_points,
        coalesce(points_per_lead.matched_rule_count, 0) as matched_rule_count
    from leads
    cross join scoring_models
    left join points_per_lead
        on
            leads.lead_id = points_per_lead.lead_id
            and scoring_models.scoring_model = points_per_lead.scoring_model

),

final as (

    select
        -- ids
        leads_per_model.lead_id,

        -- strings
        leads_per_model.scoring_model,
        grade_bands.grade,
        rules_version.rules_version,

        -- numerics
        leads_per_model.fit_points,
        leads_per_model.matched_rule_count,

        -- dates
        {{ score_date() }} as score_date

    from leads_per_model
    cross join rules_version
    left join grade_bands
        on
            leads_per_model.scoring_model = grade_bands.scoring_model
            and leads_per_model.fit_points >= grade_bands.min_points
            and leads_per_model.fit_points < grade_bands.max_points

)

select * from final
