{{ config(materialized='view') }}
{#- The facts the lifecycle stage is decided on, per live lead and scoring
    model, as of score_date: the day's scores (the columns of
    int_lead_scores_combined) and predictive score, opportunities (won,
    open), disqualification (do not contact, competitor), BANT evidence count
    and days without activity. The stage itself needs the lead's previous
    stage, so it is decided in lead_score_history. A view, read once by
    lead_score_history, where its columns are checked. -#}
{#- Off the priority list (a customer, an open opportunity, disqualified: the
    stages that outrank every other in the history): what the stage calls for
    instead of the grade x engagement cell's action; null for a workable lead. -#}
{%- set off_list_action -%}
    case
        when opportunities_as_of.has_won = 1 then 'Account team: existing customer'
        when opportunities_as_of.has_open = 1 then 'Sales: work the open opportunity'
        when leads.is_do_not_contact then 'No action: disqualified (do_not_contact)'
        when leads.email_domain_type = 'competitor' then 'No action: disqualified (competitor)'
    end
{%- endset %}

with

leads as (

    select * from {{ ref('int_leads_enriched') }}

),

scores as (

    select * from {{ ref('int_lead_scores_combined') }}

),

predictive as (

    select * from {{ ref('int_lead_predictive_scored') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}
    where quarantine_reason is null

),

opportunities_as_of as (

    select
        lead_id,
        max(case
            when is_won and cast(closed_at as date) <= {{ score_date() }} then 1 else 0
        end) as has_won,
        max(case
            when
                not is_closed
                or closed_at is null
                or cast(closed_at as date) > {{ score_date() }}
                then 1
            else 0
        end) as has_open
    from opportunities
    where
        lead_id is not null
        and cast(created_at as date) <= {{ score_date() }}
    group by lead_id

),

final as (

    select
        -- ids
        scores.lead_id,

        -- strings
        scores.scoring_model,
        scores.grade,
        scores.grade_engagement_cell,
        scores.rating,
        scores.recommended_action,
        scores.rules_version,
        predictive.model_version as predictive_model_version,
        case
            when leads.is_do_not_contact then 'do_not_contact'
            when leads.email_domain_type = 'competitor' then 'competitor'
        end as disqualification_reason,

        {{ off_list_action }} as off_list_action,

        -- numerics
        scores.fit_points,
        scores.behaviour_score,
        scores.engagement_band,
        scores.matrix_priority,
        scores.score_rank,
        scores.matched_rule_count,
        scores.scored_activity_count,
        predictive.conversion_probability,
        predictive.predictive_score,
        (
            case when leads.has_budget_confirmed then 1 else 0 end
            + case when leads.is_decision_maker then 1 else 0 end
            + case when leads.has_need_identified then 1 else 0 end
            + case
                when leads.purchase_timeline in (
                    {%- for value in var('sql_timeline_values') -%}
                        '{{ value }}'{% if not loop.last %}, {% endif %}
                    {%- endfor -%}
                ) then 1
                else 0
            end
        ) as bant_count,
        {{ dbt.datediff(
            'cast(coalesce(scores.last_activity_at, leads.created_at) as date)',
            score_date(), 'day') }} as days_inactive,

        -- booleans
        coalesce(opportunities_as_of.has_won = 1, false) as is_customer,
        coalesce(opportunities_as_of.has_open = 1, false) as has_open_opportunity,
        -- On the priority list: no stage action overrides the cell's.
        ({{ off_list_action }}) is null as is_workable,
        (
            scores.grade <= '{{ var("mql_min_grade") }}'
            and scores.behaviour_score >= {{ var('mql_min_behaviour_score') }}
        ) as meets_mql_threshold,

        -- dates
        scores.score_date,

        -- timestamps
        scores.last_activity_at

    from leads
    inner join scores
        on leads.lead_id = scores.lead_id
    left join opportunities_as_of
        on leads.lead_id = opportunities_as_of.lead_id
    left join predictive
        on leads.lead_id = predictive.lead_id

)

select * from final
