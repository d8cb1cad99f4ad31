{#- Long format of the scores: one row per live lead and scoring model
    (product line), as of score_date, with everything lead_scores has for the
    default model: lifecycle stage, priority list, top reasons, predictive
    score. No PII beyond lead_id and account_id. -#}
{%- set top_reason_count = 3 -%}

with

history as (

    select * from {{ ref('lead_score_history') }}
    where score_date = {{ score_date() }}

),

leads as (

    select * from {{ ref('int_leads_enriched') }}

),

reasons as (

    select * from {{ ref('int_lead_score_reasons') }}
    where reason_rank <= {{ top_reason_count }}

),

predictive as (

    select * from {{ ref('int_lead_predictive_scored') }}

),

top_reasons as (

    -- The labels of the top ranks side by side, joined: a plain aggregate,
    -- cheaper at a million leads than an ordered string aggregate.
    select
        lead_id,
        scoring_model,
        max(case when reason_rank = 1 then reason_label end)
        {%- for rank in range(2, top_reason_count + 1) %}
            || coalesce('; ' || max(case when reason_rank = {{ rank }} then reason_label end), '')
        {%- endfor %}
            as top_reasons
    from reasons
    group by lead_id, scoring_model

),

final as (

    select
        -- ids
        history.lead_id,
        leads.account_id,

        -- strings
        history.scoring_model,
        history.grade,
        history.rating,
        history.grade_engagement_cell,
        history.lifecycle_stage,
        history.recommended_action,
        coalesce(top_reasons.top_reasons, '') as top_reasons,
        history.rules_version,
        predictive.top_positive_factors as predictive_positive_factors,
        predictive.top_negative_factors as predictive_negative_factors,
        history.predictive_model_version,

        -- numerics
        cast(history.fit_points as {{ lead_scoring.type_double() }}) as fit_points,
        {{ lead_scoring.rounded_points('history.behaviour_score') }} as behaviour_score,
        {{ lead_scoring.rounded_points('history.behaviour_change_7d') }} as behaviour_change_7d,
        {{ lead_scoring.rounded_points('history.behaviour_change_30d') }} as behaviour_change_30d,
        cast(history.engagement_band as integer) as engagement_band,
        cast(history.priority_rank as integer) as priority_rank,
        cast(history.scored_activity_count as integer) as scored_activity_count,
        history.conversion_probability,
        cast(history.predictive_score as integer) as predictive_score,

        -- booleans
        not leads.is_do_not_contact as is_contactable,

        -- dates
        history.score_date,

        -- timestamps
        history.last_activity_at

    from history
    inner join leads
        on history.lead_id = leads.lead_id
    left join top_reasons
        on
            history.lead_id = top_reasons.lead_id
            and history.scoring_model = top_reasons.scoring_model
    left join predictive
        on history.lead_id = predictive.lead_id

)

select * from final
