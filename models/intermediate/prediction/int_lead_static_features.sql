{{ config(enabled=(target.type == 'spark')) }}
{#- Spark only: the features of the stored part of the predictive score
    (macros/prediction_features.sql), those int_lead_predictive_static
    matches for every lead scored today. On the other engines the static
    part computes them inline, for the leads it recomputes. Spark copies a
    CTE into every place that reads it: inline, static's plan held some 15
    copies of these features (34 s for the six leads of the test fixtures). -#}
{{ lead_scoring.static_prediction_features("sample = 'score'") }}
