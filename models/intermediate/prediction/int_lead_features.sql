{#- The predictive model's candidate features of every live lead as of
    score_date, long: one row per lead and feature
    (macros/prediction_features.sql). -#}
{{ lead_scoring.prediction_features("sample = 'score'") }}
