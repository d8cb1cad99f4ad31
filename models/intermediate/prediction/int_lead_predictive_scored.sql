{#- Every live lead scored by the trained predictive model (seed
    predictive_model, written by `lead-scoring calibrate`) as of score_date:
    conversion_probability = 1 / (1 + exp(-(the sum of the contributions of
    the lead's features and the intercept))), those of today's decayed sums
    and lead features matched here (int_lead_features), the rest stored
    (int_lead_predictive_static: the profile's, the activity counts' and the
    intercept, as its top factors and one sum); predictive_score = the
    lead's percentile (0-100) of that probability among today's leads; the
    top var prediction_factor_count positive and negative factors in words.
    No row while no model is trained. -#}
{%- set factor_count = var('prediction_factor_count', 3) -%}

with

observations as (

    select * from {{ ref('int_prediction_observations') }}
    where sample = 'score'

),

stored_matched as (

    select stored_part.*
    from {{ ref('int_lead_predictive_static') }} as stored_part
    inner join observations
        on stored_part.lead_id = observations.lead_id

),

todays_matched as (

    {{ lead_scoring.prediction_features_matched(
        ref('int_lead_features'), "sample = 'score'", sources=['activity', 'lead'],
        activity_measures=['decayed_sum'], computed_once=true) }}

),

matched as (

    -- read twice below: only what both need
    select
        lead_id,
        feature_id,
        contribution
    from stored_matched

    union all

    select
        lead_id,
        feature_id,
        contribution
    from todays_matched

),

logits as (

    select
        lead_id,
        {{ lead_scoring.order_independent_sum('contribution') }} as logit
    from matched
    group by lead_id

),

ranked as (

    {{ lead_scoring.prediction_factors_ranked('matched') }}

),

factors as (

    select
        ranked.lead_id,
        model_features.label,
        ranked.contribution,
        ranked.factor_rank
    from ranked
    inner join {{ ref('predictive_model') }} as model_features
        on ranked.feature_id = model_features.feature_id
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
        {{ lead_scoring.predictive_model_version() }} as model_version,
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
