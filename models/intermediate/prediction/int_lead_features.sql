{{ config(materialized=('table' if target.type == 'spark' else 'view')) }}
{#- The predictive model's features of every live lead that change from
    day to day, as of score_date, long: one row per lead and feature
    (macros/prediction_features.sql): the activity keys' decayed sums, rolled
    forward from the stored state (int_lead_feature_state), and the lead's
    days since its last activity and age. Only the features the trained
    model uses, none while there is no model. The rest of the score (the
    profile, the activity counts, which change only when the state is
    recomputed) is stored in int_lead_predictive_static. A view (a table on
    Spark), computed once by int_lead_predictive_scored, its only reader: at
    1M leads writing its 8M rows took 3.1 s, computing them there 0.7 s. -#}
{{ lead_scoring.prediction_features(
    "sample = 'score'", model_features_only=true, state=ref('int_lead_feature_state'),
    sources=['activity', 'lead'], activity_measures=['decayed_sum']) }}
