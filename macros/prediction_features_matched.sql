{#- The features of the predictive model (seed predictive_model) that each
    observation of int_prediction_observations satisfying samples_condition
    has, with their coefficients, from its long features in
    features_relation. A feature matches as the model defines it:
    intercept (every observation), category (value_text equal), other (a
    value that is none of the model's categories of that feature), range
    (lower_bound <= value_number < upper_bound, open ends null), missing
    (no value) or log (the coefficient times ln(1 + value_number)); a
    contribution is the coefficient times the feature's value (1 but for
    log). Python's encoding in src/lead_scoring/predictive.py mirrors
    it (a test compares the probabilities). sources: only the model's rows
    of these feature_sources (the intercept's is `model`); all by default.
    activity_measures: of the activity features, only the model's rows of
    these measures; all by default. computed_once: features_relation is a
    view to compute once (int_lead_features), not a table to read again. -#}
{% macro prediction_features_matched(features_relation, samples_condition, sources=none,
                                     activity_measures=none, computed_once=false) -%}
with

observations as (

    select * from {{ ref('int_prediction_observations') }}
    where {{ samples_condition }}

),

features {{ lead_scoring.as_computed_once() if computed_once else lead_scoring.as_read_again() }} (

    select * from {{ features_relation }}

),

model as (

    select * from {{ ref('predictive_model') }}
    where
        {% if sources %}feature_source in ('{{ sources | join("', '") }}'){% else %}true{% endif %}
        {% if activity_measures %}
            and (
                feature_source <> 'activity'
                or feature_measure in ('{{ activity_measures | join("', '") }}')
            )
        {% endif %}

),

categories as (

    select * from model
    where match_type = 'category'

),

-- One join per kind of match, each on equal keys: a single join on the
-- feature with the kinds OR'ed paired every feature row with every model row
-- of its feature (at 1M leads 165M pairs, 10 s of a 45 s build).
matched_values as (

    select
        features.snapshot_date,
        features.lead_id,
        model.feature_id,
        1 as feature_value
    from features
    inner join model
        on
            features.feature_name = model.feature_name
            and features.feature_measure = model.feature_measure
            and features.value_text = model.value_text
    where model.match_type = 'category'

    union all

    select
        features.snapshot_date,
        features.lead_id,
        model.feature_id,
        1 as feature_value
    from features
    inner join model
        on
            features.feature_name = model.feature_name
            and features.feature_measure = model.feature_measure
    where
        model.match_type = 'range'
        and (model.lower_bound is null or features.value_number >= model.lower_bound)
        and (model.upper_bound is null or features.value_number < model.upper_bound)

    union all

    select
        features.snapshot_date,
        features.lead_id,
        model.feature_id,
        ln(1 + features.value_number) as feature_value
    from features
    inner join model
        on
            features.feature_name = model.feature_name
            and features.feature_measure = model.feature_measure
    where model.match_type = 'log' and features.value_number is not null

    union all

    select
        features.snapshot_date,
        features.lead_id,
        model.feature_id,
        1 as feature_value
    from features
    inner join model
        on
            features.feature_name = model.feature_name
            and features.feature_measure = model.feature_measure
    where
        model.match_type = 'other'
        and features.value_text is not null
        and not exists (
            select 1 from categories
            where
                categories.feature_name = features.feature_name
                and categories.feature_measure = features.feature_measure
                and categories.value_text = features.value_text
        )

),

present as (

    -- the observations that have a feature the model also scores as missing
    select distinct
        features.snapshot_date,
        features.lead_id,
        model.feature_id
    from features
    inner join model
        on
            features.feature_name = model.feature_name
            and features.feature_measure = model.feature_measure
    where model.match_type = 'missing'

),

matched_absent as (

    -- intercept, and missing: no row of the feature for the observation
    select
        observations.snapshot_date,
        observations.lead_id,
        model.feature_id,
        1 as feature_value
    from observations
    inner join model
        on model.match_type in ('intercept', 'missing')
    where
        model.match_type = 'intercept'
        or not exists (
            select 1 from present
            where
                present.snapshot_date = observations.snapshot_date
                and present.lead_id = observations.lead_id
                and present.feature_id = model.feature_id
        )

),

matched as (

    select * from matched_values
    union all
    select * from matched_absent

),

final as (

    select
        matched.snapshot_date,
        matched.lead_id,
        model.feature_id,
        model.match_type,
        model.label,
        model.coefficient * matched.feature_value as contribution,
        model.points * matched.feature_value as points,
        model.model_version
    from matched
    inner join model
        on matched.feature_id = model.feature_id

)

select * from final
{%- endmacro %}


{#- SELECT of the rows of `matched` (lead_id, feature_id, contribution) that
    can be a factor of the predictive score (a feature of the model but the
    intercept; |contribution| >= 0.05), with factor_rank: their rank among
    the lead's factors of the same sign, the largest first, then by label.
    Only those three columns are ranked (a wider row costs a fifth more at a
    million leads). Shared by int_lead_predictive_static (which keeps the
    top ones of the stored part) and int_lead_predictive_scored. -#}
{% macro prediction_factors_ranked(matched) -%}
with

label_order as (

    -- the tie-break (label) as a number: the ranking moves numbers only,
    -- not the labels of some 30 features per lead
    select
        feature_id,
        dense_rank() over (order by label) as label_rank
    from {{ ref('predictive_model') }}
    where match_type <> 'intercept'

)

select
    {{ matched }}.lead_id,
    {{ matched }}.feature_id,
    {{ matched }}.contribution,
    row_number() over (
        partition by {{ matched }}.lead_id, {{ matched }}.contribution > 0
        order by abs({{ matched }}.contribution) desc, label_order.label_rank
    ) as factor_rank
from {{ matched }}
inner join label_order
    on {{ matched }}.feature_id = label_order.feature_id
where abs({{ matched }}.contribution) >= 0.05
{%- endmacro %}
