{#- Every calibration lead and scoring model with the scores to compare: fit points, behaviour
    score, the current priority (minus the priority rank, so higher is
    better) and the calibrated score (the sum of the weights of evidence of
    the rules the lead had on the calibration date, learnt on the train
    sample). -#}
with

calibration_leads as (

    select * from {{ ref('int_calibration_leads') }}

),

reason_history as (

    select * from {{ ref('lead_reason_history') }}

),

lifts as (

    select * from {{ ref('int_calibration_rule_lifts') }}

),

calibrated as (

    select
        calibration_leads.lead_id,
        calibration_leads.scoring_model,
        sum(lifts.weight_of_evidence) as calibrated_score
    from calibration_leads
    inner join reason_history
        on
            calibration_leads.lead_id = reason_history.lead_id
            and calibration_leads.scoring_model = reason_history.scoring_model
            and calibration_leads.calibration_date = reason_history.score_date
    inner join lifts
        on reason_history.rule_id = lifts.rule_id
    group by calibration_leads.lead_id, calibration_leads.scoring_model

),

final as (

    select
        -- ids
        calibration_leads.lead_id,

        -- strings
        calibration_leads.scoring_model,
        calibration_leads.sample,
        calibration_leads.grade,

        -- numerics
        calibration_leads.engagement_band,
        calibration_leads.has_opportunity,
        calibration_leads.has_won,
        calibration_leads.fit_points,
        calibration_leads.behaviour_score,
        -calibration_leads.score_rank as current_priority,
        coalesce(calibrated.calibrated_score, 0) as calibrated_score,

        -- dates
        calibration_leads.calibration_date

    from calibration_leads
    left join calibrated
        on
            calibration_leads.lead_id = calibrated.lead_id
            and calibration_leads.scoring_model = calibrated.scoring_model

)

select * from final
