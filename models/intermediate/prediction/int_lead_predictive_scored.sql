{#- Every live lead scored by the trained predictive model (seed
    predictive_model, written by `lead-scoring calibrate`) as of score_date:
    conversion_probability = 1 / (1 + exp(-(the sum of the contributions of
    the lead's features and the intercept))), those of its activity and lead
    features matched here, those of its profile and the intercept stored
    (int_lead_predictive_profile); predictive_score = the lead's
    percentile (0-100) of that probability among today's leads; the top var
    prediction_factor_count positive and negative factors in words. No row
    while no model is trained. -#}
{%- set factor_count = var('prediction_factor_count', 3) -%}

with

observations as (

    select * from {{ ref('int_prediction_observations') }}
    where sample = 'score'

),

profile_matched as (

    select profile.*
    from {{ ref('int_lead_predictive_profile') }} as profile
    inner join observations
        on profile.lead_id = observations.lead_id

),

activity_matched as (

    {{ lead_scoring.prediction_features_matched(
        ref('int_lead_features'), "sample = 'score'", sources=['activity', 'lead']) }}

),

matched as (

    select
        lead_id,
        feature_id,
        match_type,
        model_version,
        contribution
    from profile_matched

    union all

    select
        lead_id,
        feature_id,
        match_type,
        model_version,
        contribution
    from activity_matched

),

logits as (

    select
        lead_id,
        max(model_version) as model_version,
        {{ lead_scoring.order_independent_sum('contribution') }} as logit
    from matched
    group by lead_id

),

label_order as (

    -- the factors' tie-break (label) as a number: the ranking below then
    -- moves numbers only, not the labels of some 30 features per lead
    select
        feature_id,
        label,
        dense_rank() over (order by label) as label_rank
    from {{ ref('predictive_model') }}

),

ranked as (

    select
        matched.lead_id,
        matched.feature_id,
        matched.contribution,
        row_number() over (
            partition by matched.lead_id, matched.contribution > 0
            order by abs(matched.contribution) desc, label_order.label_rank
        ) as factor_rank
    from matched
    inner join label_order
        on matched.feature_id = label_order.feature_id
    where matched.match_type <> 'intercept' and abs(matched.contribution) >= 0.05

),

factors as (

    select
        ranked.lead_id,
        label_order.label,
        ranked.contribution,
        ranked.factor_rank
    from ranked
    inner join label_order
        on ranked.feature_id = label_order.feature_id
    where ranked.factor_rank <= {{ factor_count }}

),

factor_lists as (

    select
        lead_id,
        {% for sign, condition in [('positive', 'contribution > 0'),
                                   ('negative', 'contribution < 0')] %}
            max(case when {{ condition }} and factor_rank = 1 then label end)
            {%- for rank in range(2, factor_count + 1) %}
                || coalesce('; ' || max(case
                    when {{ condition }} and factor_rank = {{ rank }} then label
                end), '')
            {%- endfor %} as top_{{ sign }}_factors{% if not loop.last %},{% endif %}
        {% endfor %}
    from factors
    group by lead_id

),

final as (

    select
        -- ids
        logits.lead_id,

        -- strings
        logits.model_version,
        coalesce(factor_lists.top_positive_factors, '') as top_positive_factors,
        coalesce(factor_lists.top_negative_factors, '') as top_negative_factors,

        -- numerics
        1 / (1 + exp(-logits.logit)) as conversion_probability,
        cast(round(100 * percent_rank() over (order by logits.logit)) as integer)
            as predictive_score

    from logits
    left join factor_lists
        on logits.lead_id = factor_lists.lead_id

)

select * from final
